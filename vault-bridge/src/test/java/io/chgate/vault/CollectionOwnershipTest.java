package io.chgate.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.engine.EngineException;
import io.chgate.testkit.AttackerListener;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attack tests: a collection chgate manages cannot be pointed at another host, by a query's overrides or by someone
 * altering it behind chgate's back. Real OpenBao, PostgreSQL and ClickHouse 26 engine; the "attacker" is a TCP
 * listener on loopback that counts the connections it receives — ClickHouse would send the stored password there.
 */
class CollectionOwnershipTest {
    static LocalStack stack;
    static VaultClient root;
    static EmbeddedClickHouse engine;
    static AdminChannel admin;
    static AttackerListener attacker;

    @BeforeAll
    static void setUp() throws IOException {
        stack = LocalStack.get();
        root = VaultClient.withToken(stack.vaultAddr(), stack.vaultToken());
        root.writeKv2("secret", "chgate-test/owned_pg", Map.of("username", stack.pgUser(), "password",
                stack.pgPassword()));
        engine = EmbeddedClickHouse.shared(stack.chdbLibrary(),
                Path.of(System.getProperty("java.io.tmpdir"), "chgate-vault-test-" + ProcessHandle.current().pid()), 2);
        admin = new EngineAdminChannel(engine);
        attacker = new AttackerListener();
    }

    @AfterAll
    static void tearDown() throws IOException {
        attacker.close();
    }

    static IntegrationManager.Integration integration(String name) {
        return new IntegrationManager.Integration(name, "postgresql", "127.0.0.1", stack.pgPort(), "shop",
                new SecretSource.Kv2("secret", "chgate-test/owned_pg", 0, null, null), name);
    }

    @Test
    void noOverrideReachesAnotherHost() {
        try (IntegrationManager manager = new IntegrationManager(root, admin, List.of(integration("owned_pg")), null,
                Duration.ofMinutes(5), false)) {
            manager.ensure("owned_pg").join();
            String to = "'127.0.0.1:" + attacker.port() + "'";
            for (String override : List.of("addresses_expr = " + to, "host = '127.0.0.1', port = "
                    + attacker.port(), "hostname = '127.0.0.1', port = " + attacker.port(),
                    "port = " + attacker.port(), "addresses_expr = concat('127.0.0.1:', '"
                    + attacker.port() + "')")) {
                String sql = "SELECT count() FROM postgresql(owned_pg, table = 'orders', " + override + ")";
                assertThatThrownBy(() -> engine.queryText(sql, "TSV")).as(override)
                        .isInstanceOf(EngineException.class).hasMessageNotContaining(stack.pgPassword());
            }
            // hostname alone is accepted by ClickHouse, and harmless: the locked addresses_expr comes first.
            assertThat(engine.queryText("SELECT count() FROM postgresql(owned_pg, table = 'orders', hostname = "
                    + "'127.0.0.1')", "TSV")).isEqualTo("3\n");
            assertThat(attacker.connections()).as("connections that reached the attacker").isZero();
        }
    }

    @Test
    void aCollectionAlteredBehindChgatesBackIsRestoredWhole() throws Exception {
        try (IntegrationManager manager = new IntegrationManager(root, admin, List.of(integration("owned_drift")),
                null, Duration.ofSeconds(1), false)) {
            manager.ensure("owned_drift").join();
            admin.execute("ALTER NAMED COLLECTION owned_drift SET addresses_expr = '127.0.0.1:"
                    + attacker.port() + "' OVERRIDABLE, sslmode = 'disable'");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (admin.execute(NamedCollectionDdl.keys("owned_drift")).contains("sslmode")
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(admin.execute(NamedCollectionDdl.keys("owned_drift")).split("\n"))
                    .containsExactlyInAnyOrder("addresses_expr", "host", "port", "database", "user", "password",
                            "schema");
            assertThat(engine.queryText("SELECT count() FROM postgresql(owned_drift, table = 'orders')", "TSV"))
                    .isEqualTo("3\n");
            String redirect = "SELECT count() FROM postgresql(owned_drift, table = 'orders', addresses_expr = "
                    + "'127.0.0.1:" + attacker.port() + "')";
            assertThatThrownBy(() -> engine.queryText(redirect, "TSV")).isInstanceOf(EngineException.class)
                    .hasMessageContaining("Override not allowed");
            assertThat(attacker.connections()).as("connections that reached the attacker").isZero();
        }
    }
}
