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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration file edited while chgate runs, applied with POST /reload: users and integrations added and
 * removed take effect (a removed integration's collection is dropped), and a broken file is refused while the
 * running configuration keeps serving.
 */
class ReloadTest {
    @TempDir
    Path dir;

    static String yaml(LocalStack stack, String users, String integrations) {
        return "upstream:\n  url: embedded\n  embedded:\n    data_dir: " + System.getProperty("java.io.tmpdir")
                + "/chgate-embedded-test-" + ProcessHandle.current().pid() + "\n"
                + "listen: 127.0.0.1:0\nadmin_listen: 127.0.0.1:0\n"
                + "vault:\n  address: " + stack.vaultAddr() + "\n"
                + "users:\n" + users + "integrations:\n" + integrations;
    }

    static String user(String name, String integration) throws Exception {
        return "  - { name: " + name + ", password_sha256_hex: " + GatewayUsersTest.sha256(name + "-pw")
                + ", integrations: [" + integration + "] }\n";
    }

    static String pg(LocalStack stack, String name) {
        return "  - { name: " + name + ", source: postgresql, address: '127.0.0.1:" + stack.pgPort()
                + "', database: shop, credentials: { kv: { path: chgate-test/" + name + " } } }\n";
    }

    static int query(int port, String user, String sql) throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", port)) {
            return c.exchange(RawHttp.request("POST", "/", List.of(new Header("X-ClickHouse-User", user),
                    new Header("X-ClickHouse-Key", user + "-pw")), sql.getBytes(StandardCharsets.UTF_8)), false)
                    .status();
        }
    }

    @Test
    void usersAndIntegrationsChangeWhileServing() throws Exception {
        LocalStack stack = LocalStack.get();
        VaultClient vault = VaultClient.withToken(stack.vaultAddr(), stack.vaultToken());
        for (String name : List.of("reload_a", "reload_b")) {
            vault.writeKv2("secret", "chgate-test/" + name, Map.of("username", stack.pgUser(), "password",
                    stack.pgPassword()));
        }
        Path file = dir.resolve("chgate.yaml");
        Files.writeString(file, yaml(stack, user("alice", "reload_a"), pg(stack, "reload_a")));
        Map<String, String> env = Map.of("CHGATE_VAULT_TOKEN", stack.vaultToken());
        try (FileConfiguredGateway gateway = FileConfiguredGateway.start(file, env)) {
            AdminChannel admin = gateway.admin;
            int port = gateway.port();
            String readA = "SELECT count() FROM postgresql(reload_a, table = 'orders')";
            String readB = "SELECT count() FROM postgresql(reload_b, table = 'orders')";
            assertThat(query(port, "alice", readA)).isEqualTo(200);
            assertThat(query(port, "bob", "SELECT 1")).isEqualTo(403);

            Files.writeString(file, yaml(stack, user("bob", "reload_b"), pg(stack, "reload_b")));
            HttpResponse<String> reloaded = gateway.reload();
            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            assertThat(query(port, "bob", readB)).isEqualTo(200);
            assertThat(query(port, "alice", "SELECT 1")).isEqualTo(403);
            assertThat(admin.execute("SELECT count() FROM system.named_collections WHERE name = 'reload_a'"))
                    .as("the removed integration's collection").isEqualTo("0\n");

            Files.writeString(file, "upstream:\n  no_such_key: 1\n");
            HttpResponse<String> broken = gateway.reload();
            assertThat(broken.statusCode()).isEqualTo(400);
            assertThat(broken.body()).contains("not applied").contains("no_such_key");
            assertThat(query(port, "bob", readB)).isEqualTo(200);
        }
    }
}
