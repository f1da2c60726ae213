package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Header;
import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.credentials.ManagedCredentials;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import io.chgate.vault.EngineAdminChannel;
import io.chgate.vault.VaultClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rights matrix: gateway users × integrations × reference forms, on the ClickHouse 26 engine with real
 * PostgreSQL and MariaDB behind OpenBao-held credentials. A user reaches exactly the integrations it is given,
 * whether the query writes the endpoint inline or names the collection.
 */
class UserRightsTest {
    static LocalStack stack;
    static GatewayServer gateway;
    static ManagedCredentials credentials;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        VaultClient vault = VaultClient.withToken(stack.vaultAddr(), stack.vaultToken());
        vault.writeKv2("secret", "chgate-test/rights_pg", Map.of("username", stack.pgUser(), "password",
                stack.pgPassword()));
        vault.writeKv2("secret", "chgate-test/rights_my", Map.of("username", stack.mariadbUser(), "password",
                stack.mariadbPassword()));
        Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "chgate-embedded-test-" + ProcessHandle.current().pid());
        GatewayConfig config = new ConfigLoader(Map.of(
                "CHGATE_UPSTREAM_URL", "embedded",
                "CHGATE_UPSTREAM_EMBEDDED_DATA_DIR", dataDir.toString(),
                "CHGATE_VAULT_ADDRESS", stack.vaultAddr(),
                "CHGATE_VAULT_TOKEN", stack.vaultToken()))
                .flag("listen", "127.0.0.1:0", "test").load().config();
        config.integrations.add(integration("rights_pg", "postgresql", stack.pgPort()));
        config.integrations.add(integration("rights_my", "mysql", stack.mariadbPort()));
        config.users.add(user("both", List.of("*")));
        config.users.add(user("pg_only", List.of("rights_pg")));
        config.users.add(user("nothing", List.of()));
        credentials = ManagedCredentials.start(config, new EngineAdminChannel(GatewayServer.embeddedEngine(config)));
        gateway = GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1, credentials));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        credentials.close();
    }

    static GatewayConfig.Integration integration(String name, String source, int port) {
        GatewayConfig.Integration i = new GatewayConfig.Integration();
        i.name = name;
        i.source = source;
        i.address = "127.0.0.1:" + port;
        i.database = "shop";
        i.credentials = new GatewayConfig.Credentials();
        i.credentials.kv = new GatewayConfig.Kv();
        i.credentials.kv.path = "chgate-test/" + name;
        return i;
    }

    static GatewayConfig.User user(String name, List<String> integrations) throws Exception {
        GatewayConfig.User u = new GatewayConfig.User();
        u.name = name;
        u.passwordSha256Hex = GatewayUsersTest.sha256(name + "-pw");
        u.integrations = new ArrayList<>(integrations);
        return u;
    }

    static List<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        Map<String, List<String>> rights = Map.of("both", List.of("pg", "my"), "pg_only", List.of("pg"),
                "nothing", List.of());
        for (var user : rights.entrySet()) {
            for (String integration : List.of("pg", "my")) {
                for (String form : List.of("inline", "named")) {
                    cases.add(Arguments.of(user.getKey(), integration, form, user.getValue().contains(integration)));
                }
            }
        }
        return cases;
    }

    static String reference(String integration, String form) {
        boolean pg = integration.equals("pg");
        if (form.equals("named")) {
            return (pg ? "postgresql" : "mysql") + "(rights_" + integration + ", table = 'orders')";
        }
        return (pg ? "postgresql" : "mysql") + "('127.0.0.1:" + (pg ? stack.pgPort() : stack.mariadbPort())
                + "', 'shop', 'orders', 'bi', 'typed-in-a-dashboard')";
    }

    @ParameterizedTest(name = "{0} {1} {2} allowed={3}")
    @MethodSource("matrix")
    void aUserReachesExactlyTheIntegrationsItIsGiven(String user, String integration, String form, boolean allowed)
            throws IOException {
        String sql = "SELECT count() FROM " + reference(integration, form);
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.address().getPort())) {
            Response r = c.exchange(RawHttp.request("POST", "/", List.of(new Header("X-ClickHouse-User", user),
                    new Header("X-ClickHouse-Key", user + "-pw")), sql.getBytes(StandardCharsets.UTF_8)), false);
            if (allowed) {
                assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("3\n");
            } else {
                assertThat(r.status()).as(r.bodyText()).isEqualTo(403);
                assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
                assertThat(r.bodyText()).contains("user '" + user + "' may not use").contains("rights_" + integration)
                        .doesNotContain(stack.pgPassword()).doesNotContain(stack.mariadbPassword());
            }
        }
    }
}
