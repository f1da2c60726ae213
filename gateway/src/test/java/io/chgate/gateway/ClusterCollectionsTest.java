package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.admin.Reloader;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import io.chgate.vault.HttpAdminChannel;
import io.chgate.vault.VaultClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ClickHouse 26 engines ({@code chgate engine} processes) as the nodes behind one chgate: every managed
 * collection and integration database is on both; a node that was down while the configuration changed is brought
 * current before it takes requests again.
 */
class ClusterCollectionsTest {
    @TempDir
    Path dir;


    static String yaml(LocalStack stack, List<EngineNode> engines, String pairs) {
        return "admin:\n  user: chgate_admin\n  password_file: " + EngineNode.adminPasswordFile() + "\nupstream:\n  engine_key_file: " + EngineNode.keyFile() + "\n  url: " + engines.get(0).url() + "\n  nodes: [" + String.join(", ", engines.stream()
                .map(EngineNode::url).toList()) + "]\n  health_check_interval: 300ms\n"
                + "listen: 127.0.0.1:0\nvault:\n  address: " + stack.vaultAddr() + "\n"
                + "integrations:\n  - name: cl_pg\n    source: postgresql\n    address: '127.0.0.1:" + stack.pgPort()
                + "'\n    database: shop\n    credentials: { kv: { path: chgate-test/cl_pg } }\n"
                + "    managed_databases: " + pairs + "\n";
    }

    @Test
    void collectionsAndDatabasesAreOnEveryNodeAndANodeBackIsBroughtCurrentFirst() throws Exception {
        LocalStack stack = LocalStack.get();
        VaultClient.withToken(stack.vaultAddr(), stack.vaultToken()).writeKv2("secret", "chgate-test/cl_pg",
                Map.of("username", stack.pgUser(), "password", stack.pgPassword()));
        try (EngineNode first = new EngineNode(dir.resolve("n1")).start(); EngineNode second = new EngineNode(dir.resolve("n2"))
                .start()) {
            List<EngineNode> engines = List.of(first, second);
            for (String user : new String[] {null, "chgate_admin"}) {
                // the node serves no one but chgate's admin with its password and gateways with the node's key
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HttpAdminChannel(URI.create(first.url()),
                        user, user == null ? null : "wrong").execute("SELECT 1"))
                        .hasMessageContaining("Code: 516");
            }
            // with the key, the engine's second wall still stands for everyone but chgate's admin
            java.net.http.HttpResponse<String> keyed = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(URI.create(first.url() + "/"))
                            .header("X-Chgate-Engine-Key", Files.readString(EngineNode.keyFile()))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "CREATE NAMED COLLECTION stolen AS host = 'x'")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(keyed.body()).startsWith("Code: 497");
            assertThat(first.query("SELECT count() FROM system.named_collections WHERE name = 'stolen'"))
                    .isEqualTo("0\n");
            Path file = dir.resolve("chgate.yaml");
            Files.writeString(file, yaml(stack, engines, "[{ schema: public }]"));
            Map<String, String> env = Map.of("CHGATE_VAULT_TOKEN", stack.vaultToken());
            try (FileConfiguredGateway gateway = FileConfiguredGateway.start(file, env,
                    config -> EngineNode.nodesAdmin(engines))) {
                GatewayServer server = gateway.server;
                Reloader reloader = gateway.reloader;
                for (EngineNode engine : engines) {
                    assertThat(engine.query("SELECT name FROM system.named_collections WHERE name LIKE 'cl_pg%'"
                            + " ORDER BY name")).isEqualTo("cl_pg\ncl_pg_shop_public\n");
                    assertThat(engine.query("SELECT count() FROM cl_pg_shop_public.orders")).isEqualTo("3\n");
                }
                int port = server.address().getPort();
                String inline = "SELECT count() FROM postgresql('127.0.0.1:" + stack.pgPort() + "', 'shop', 'orders',"
                        + " 'dashboard', '')";
                for (int i = 0; i < 10; i++) {
                    try (RawHttp c = new RawHttp("127.0.0.1", port)) {
                        RawHttp.Response r = c.exchange(RawHttp.request("POST", "/", List.of(), inline.getBytes()),
                                false);
                        assertThat(r.bodyText()).as("request %d", i).isEqualTo("3\n");
                    }
                }

                second.kill();
                Files.writeString(file, yaml(stack, engines, "[{ schema: public }, { schema: ledger }]"));
                stack.psql("CREATE SCHEMA IF NOT EXISTS ledger; CREATE TABLE IF NOT EXISTS ledger.entries (id int,"
                        + " note text); TRUNCATE ledger.entries; INSERT INTO ledger.entries VALUES (1, 'opening');");
                Reloader.Result reloaded = reloader.reload();
                assertThat(reloaded.applied()).as(reloaded.problems().toString()).isTrue();
                assertThat(first.query("SELECT count() FROM cl_pg_shop_ledger.entries")).isEqualTo("1\n");
                assertThat(server.upstreams().node("127.0.0.1:" + second.port).healthy()).isFalse();

                second.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!server.upstreams().node("127.0.0.1:" + second.port).healthy() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(server.upstreams().node("127.0.0.1:" + second.port).healthy()).as("back").isTrue();
                assertThat(second.query("SELECT count() FROM cl_pg_shop_ledger.entries"))
                        .as("what changed while it was away, there before it took requests").isEqualTo("1\n");
                List<String> answers = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    try (RawHttp c = new RawHttp("127.0.0.1", port)) {
                        answers.add(c.exchange(RawHttp.request("POST", "/", List.of(),
                                "SELECT note FROM cl_pg_shop_ledger.entries".getBytes()), false).bodyText());
                    }
                }
                assertThat(answers).containsOnly("opening\n");
            }
        }
    }
}
