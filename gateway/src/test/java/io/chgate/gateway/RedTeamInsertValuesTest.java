package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import io.chgate.testkit.AttackerListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Red team, INSERT ... VALUES data: ClickHouse evaluates expressions in it, scalar subqueries (and so table
 * functions) included, while chgate streams it on unread. Against the real 18.16 server, with an attacker listener
 * on loopback standing in for a MySQL server of the client's choosing: the data goes with expression
 * interpretation off, so nothing connects, and a client cannot turn it back on.
 */
class RedTeamInsertValuesTest {
    static GatewayUnderTest env;
    static AttackerListener attacker;

    @BeforeAll
    static void start() throws Exception {
        env = GatewayUnderTest.shared();
        attacker = new AttackerListener();
        env.clickhouse("CREATE TABLE IF NOT EXISTS rt_values (x UInt64) ENGINE = Memory");
        env.clickhouse("TRUNCATE TABLE rt_values");
    }

    @AfterAll
    static void stop() throws IOException {
        attacker.close();
    }

    static String subquery() {
        return "((SELECT count() FROM mysql('127.0.0.1:" + attacker.port() + "', 'd', 't', 'u', 'p')))";
    }

    static Response post(String target, String body) throws IOException {
        return env.proxied(RawHttp.request("POST", target, List.of(), body.getBytes(StandardCharsets.UTF_8)), false);
    }

    @Test
    void aSubqueryInValuesDataReachesNoHost() throws IOException {
        Response inBody = post("/", "INSERT INTO rt_values VALUES (1), " + subquery());
        assertThat(inBody.status()).as(inBody.bodyText()).isNotEqualTo(200);
        Response split = post(q("INSERT INTO rt_values VALUES"), subquery());
        assertThat(split.status()).as(split.bodyText()).isNotEqualTo(200);
        assertThat(attacker.connections()).as("connections that reached the attacker").isZero();
    }

    @Test
    void literalValuesStillInsert() throws IOException {
        Response r = post("/", "INSERT INTO rt_values VALUES (7), (8)");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(env.clickhouse("SELECT count() FROM rt_values WHERE x IN (7, 8)")).isEqualTo("2\n");
    }

    @Test
    void aClientCannotTurnInterpretationBackOn() throws IOException {
        Response r = post("/?input_format_values_interpret_expressions=1", "INSERT INTO rt_values VALUES " + subquery());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
        assertThat(attacker.connections()).as("connections that reached the attacker").isZero();
    }
}
