package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Header;
import io.chgate.gateway.RawHttp.Response;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two gateway users of one embedded engine (which runs every statement as its one user): alice, with the iso_pg
 * integration, and bob, without. bob can neither use nor change what alice created — her view, her PostgreSQL table,
 * her dictionary, her database — nor see her statements or errors.
 */
class RedTeamIsolationTest {
    static LocalStack stack;
    static EmbeddedGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        gateway = new EmbeddedGateway(stack)
                .integration("iso_pg", "postgresql", stack.pgPort(), "shop", stack.pgUser(), stack.pgPassword())
                .user("alice", "alice-pw", List.of("iso_pg"))
                .user("bob", "bob-pw", List.of())
                .start();
        for (String sql : List.of(
                "DROP TABLE IF EXISTS iso_alices_view", "DROP TABLE IF EXISTS iso_alices_pg",
                "DROP DICTIONARY IF EXISTS iso_alices_dict", "DROP DATABASE IF EXISTS iso_alices_db",
                "CREATE VIEW iso_alices_view AS SELECT id, amount FROM postgresql(iso_pg, table = 'orders')",
                "CREATE TABLE iso_alices_pg (id Int32, customer String, amount Decimal(10, 2))"
                        + " ENGINE = PostgreSQL(iso_pg, table = 'orders')",
                "CREATE DICTIONARY iso_alices_dict (id UInt64, customer String) PRIMARY KEY id"
                        + " SOURCE(POSTGRESQL(NAME iso_pg TABLE 'orders')) LIFETIME(0) LAYOUT(HASHED())",
                "CREATE DATABASE iso_alices_db",
                "CREATE TABLE iso_alices_db.notes (s String) ENGINE = Memory")) {
            Response r = run("alice", sql);
            assertThat(r.status()).as(sql + ": " + r.bodyText()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static Response run(String user, String sql) throws IOException {
        return gateway.post(user, sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM iso_alices_view",
        "SELECT * FROM default.iso_alices_view",
        "SELECT * FROM 'iso_alices_view'",
        "SELECT * FROM (WITH iso_alices_view AS (SELECT 1) SELECT 1) AS x, iso_alices_view",
        "SELECT 1 WHERE 1 IN (iso_alices_view)",
        "SELECT * FROM numbers(1) AS n, iso_alices_view",
        "CREATE TABLE iso_bobs_clone2 CLONE AS iso_alices_pg",
        "SELECT * FROM system.one JOIN 'default.iso_alices_pg' ON 1",
        "SELECT * FROM iso_alices_pg",
        "SELECT dictGet('iso_alices_dict', 'customer', toUInt64(1))",
        "SELECT * FROM dictionary('iso_alices_dict')",
        "CREATE TABLE iso_bobs_clone AS iso_alices_pg",
        "CREATE VIEW iso_bobs_view AS SELECT * FROM iso_alices_view",
        "INSERT INTO iso_alices_pg (id, customer, amount) VALUES (99, 'bob', 1)",
        "DROP TABLE iso_alices_view",
        "RENAME TABLE iso_alices_view TO iso_bobs_now",
        "EXCHANGE TABLES iso_alices_view AND iso_bobs_table",
        "DROP DICTIONARY iso_alices_dict",
        "SELECT * FROM iso_alices_db.notes",
        "DROP DATABASE iso_alices_db",
        "SELECT query FROM system.processes",
        "SELECT * FROM system.errors",
        "CREATE FUNCTION iso_bobs_udf AS x -> x + 1"
    })
    void bobCannotUseOrChangeWhatAliceCreated(String sql) throws IOException {
        Response r = run("bob", sql);
        assertThat(r.status()).as(sql + ": " + r.bodyText()).isEqualTo(403);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
    }

    @Test
    void aliceStillUsesHerObjects() throws IOException {
        assertThat(run("alice", "SELECT count() FROM iso_alices_view").bodyText()).isEqualTo("3\n");
        assertThat(run("alice", "SELECT count() FROM iso_alices_pg").bodyText()).isEqualTo("3\n");
        assertThat(run("alice", "SELECT count() FROM iso_alices_db.notes").bodyText()).isEqualTo("0\n");
    }

    @Test
    void bobStillWorksInHisOwnObjects() throws IOException {
        assertThat(run("bob", "DROP TABLE IF EXISTS iso_bobs_table").status()).isEqualTo(200);
        assertThat(run("bob", "CREATE TABLE iso_bobs_table (x UInt8) ENGINE = Memory").status()).isEqualTo(200);
        assertThat(run("bob", "INSERT INTO iso_bobs_table VALUES (1)").status()).isEqualTo(200);
        assertThat(run("bob", "SELECT count() FROM iso_bobs_table").bodyText()).isEqualTo("1\n");
        assertThat(run("alice", "SELECT count() FROM iso_bobs_table").status()).isEqualTo(403);
        assertThat(run("bob", "SELECT count() FROM system.one").bodyText()).isEqualTo("1\n");
    }

    @Test
    void bobCannotKillAlicesQuery() throws Exception {
        String id = "iso-alices-query-" + System.nanoTime();
        java.util.concurrent.ExecutorService alice = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Response> running = alice.submit(() -> {
                try (RawHttp c = new RawHttp("127.0.0.1", gateway.port())) {
                    return c.exchange(RawHttp.request("POST", "/?query_id=" + id, List.of(
                            new Header("X-ClickHouse-User", "alice"), new Header("X-ClickHouse-Key", "alice-pw")),
                            "SELECT count() FROM (SELECT sleepEachRow(0.5) FROM numbers(4) SETTINGS max_block_size = 1)"
                                    .getBytes(StandardCharsets.UTF_8)), false);
                }
            });
            Thread.sleep(500);
            run("bob", "KILL QUERY WHERE query_id = '" + id + "' SYNC");
            Response r = running.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("4\n");
        } finally {
            alice.shutdownNow();
        }
    }
}
