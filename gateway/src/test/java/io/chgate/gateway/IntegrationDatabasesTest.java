package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Header;
import io.chgate.testkit.LocalStack;
import io.chgate.vault.AdminChannel;
import io.chgate.vault.VaultClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL integration databases as a user of chgate sees them: one per configured {database, schema} pair, named
 * {@code <integration>_<database>_<schema>}, readable only by gateway users allowed the integration (however the
 * request names the database), their collections internal, and reloads creating and dropping exactly what chgate
 * manages — a database someone else made stays.
 */
class IntegrationDatabasesTest {
    @TempDir
    Path dir;

    static String integration(LocalStack stack, String pairs) {
        return "  - name: idb_pg\n    source: postgresql\n    address: '127.0.0.1:" + stack.pgPort() + "'\n"
                + "    database: shop\n    credentials: { kv: { path: chgate-test/idb_pg } }\n"
                + "    managed_databases: " + pairs + "\n";
    }

    static RawHttp.Response query(int port, String user, String target, List<Header> more, String sql)
            throws Exception {
        List<Header> headers = new ArrayList<>(List.of(new Header("X-ClickHouse-User", user),
                new Header("X-ClickHouse-Key", user + "-pw")));
        headers.addAll(more);
        try (RawHttp c = new RawHttp("127.0.0.1", port)) {
            return c.exchange(RawHttp.request("POST", target, headers, sql.getBytes(StandardCharsets.UTF_8)), false);
        }
    }

    @Test
    void oneDatabasePerPairReadableOnlyByTheIntegrationsUsersAndReloadsManageExactlyThem() throws Exception {
        LocalStack stack = LocalStack.get();
        stack.psql("CREATE SCHEMA IF NOT EXISTS ledger; CREATE TABLE IF NOT EXISTS ledger.entries (id int, note text);"
                + " TRUNCATE ledger.entries; INSERT INTO ledger.entries VALUES (1, 'opening');");
        VaultClient.withToken(stack.vaultAddr(), stack.vaultToken()).writeKv2("secret", "chgate-test/idb_pg",
                Map.of("username", stack.pgUser(), "password", stack.pgPassword()));
        String users = ReloadTest.user("alice", "idb_pg") + ReloadTest.user("bob", "");
        Path file = dir.resolve("chgate.yaml");
        Files.writeString(file, ReloadTest.yaml(stack, users, integration(stack, "[{ schema: public }, { database:"
                + " shop, schema: ledger }]")));
        Map<String, String> env = Map.of("CHGATE_VAULT_TOKEN", stack.vaultToken());
        FileConfiguredGateway.embeddedAdmin().execute("CREATE DATABASE IF NOT EXISTS idb_someone_elses ENGINE = Memory COMMENT 'managed by hand'");
        try (FileConfiguredGateway gateway = FileConfiguredGateway.start(file, env)) {
            AdminChannel admin = gateway.admin;
            int port = gateway.port();
            assertThat(admin.execute("SELECT name, engine FROM system.databases WHERE name LIKE 'idb%' ORDER BY name"))
                    .isEqualTo("idb_pg_shop_ledger\tPostgreSQL\nidb_pg_shop_public\tPostgreSQL\nidb_someone_elses\tMemory\n");

            HttpResponse<String> listed = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create("http://127.0.0.1:" + gateway.adminServer.address().getPort()
                            + "/integrations")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(listed.body()).contains("\"databases\" : [ \"idb_pg_shop_public\", \"idb_pg_shop_ledger\" ]")
                    .doesNotContain(stack.pgPassword());
            String orders = "SELECT count() FROM idb_pg_shop_public.orders";
            RawHttp.Response read = query(port, "alice", "/", List.of(), orders);
            assertThat(read.bodyText()).as(read.statusLine()).isEqualTo("3\n");
            assertThat(query(port, "alice", "/", List.of(), "SELECT note FROM `idb_pg_shop_ledger`.entries")
                    .bodyText()).isEqualTo("opening\n");

            // bob may not use idb_pg: every way of naming its databases is refused before the engine sees it
            String inDefault = "/?database=idb_pg_shop_public";
            List<RawHttp.Response> refused = List.of(
                    query(port, "bob", "/", List.of(), orders),
                    query(port, "bob", "/", List.of(), "SELECT count() FROM `idb\\x5Fpg_shop_public`.orders"),
                    query(port, "bob", "/", List.of(), "SELECT count() FROM merge(REGEXP('^idb'), '^orders$')"),
                    query(port, "bob", "/", List.of(), "SHOW TABLES FROM \"idb_pg_shop_ledger\""),
                    query(port, "bob", inDefault, List.of(), "SELECT count() FROM orders"),
                    query(port, "bob", "/?database=default&database=idb_pg_shop_public", List.of(), "SELECT 1"),
                    query(port, "bob", "/", List.of(new Header("X-ClickHouse-Database", "idb_pg_shop_ledger")),
                            "SELECT count() FROM entries"),
                    query(port, "bob", "/?param_db=idb_pg_shop_public", List.of(),
                            "SELECT count() FROM {db:Identifier}.orders"));
            for (RawHttp.Response response : refused) {
                assertThat(response.status()).as(response.bodyText()).isEqualTo(403);
                assertThat(response.bodyText()).contains("Code: 497").contains("may not use the integration");
            }
            assertThat(query(port, "bob", "/", List.of(), "SELECT 1").bodyText()).isEqualTo("1\n");
            // A database's own collection is chgate's, for alice too
            RawHttp.Response internal = query(port, "alice", "/", List.of(),
                    "SELECT count() FROM postgresql(idb_pg_shop_ledger, table = 'entries')");
            assertThat(internal.status()).isEqualTo(403);
            assertThat(internal.bodyText()).contains("internal to chgate").contains("query that database instead");

            Files.writeString(file, ReloadTest.yaml(stack, users, integration(stack, "[{ schema: public }]")));
            HttpResponse<String> reloaded = gateway.reload();
            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            assertThat(admin.execute("SELECT name FROM system.databases WHERE name LIKE 'idb%' ORDER BY name"))
                    .isEqualTo("idb_pg_shop_public\nidb_someone_elses\n");
            assertThat(query(port, "alice", "/", List.of(), orders).bodyText()).isEqualTo("3\n");

            Files.writeString(file, ReloadTest.yaml(stack, ReloadTest.user("alice", ""), "  []\n"));
            reloaded = gateway.reload();
            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            assertThat(admin.execute("SELECT name FROM system.databases WHERE name LIKE 'idb%' ORDER BY name"))
                    .as("the removed integration's database; someone else's stays").isEqualTo("idb_someone_elses\n");
            assertThat(admin.execute("SELECT count() FROM system.named_collections WHERE name LIKE 'idb_pg%'"))
                    .isEqualTo("0\n");
        } finally {
            FileConfiguredGateway.embeddedAdmin().execute("DROP DATABASE IF EXISTS idb_someone_elses");
            FileConfiguredGateway.embeddedAdmin().execute("DROP DATABASE IF EXISTS idb_pg_shop_public");
            FileConfiguredGateway.embeddedAdmin().execute("DROP DATABASE IF EXISTS idb_pg_shop_ledger");
        }
    }
}
