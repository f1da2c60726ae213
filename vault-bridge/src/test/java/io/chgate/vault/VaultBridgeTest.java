package io.chgate.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.testkit.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** vault-bridge against the real OpenBao, PostgreSQL, MariaDB and ClickHouse 26 engine of the local stack. */
class VaultBridgeTest {
    static LocalStack stack;
    static VaultClient root;
    static EmbeddedClickHouse engine;
    static AdminChannel admin;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    static final List<String> secretsSeen = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        stack = LocalStack.get();
        root = VaultClient.withToken(stack.vaultAddr(), stack.vaultToken());
        VaultSetup.configure(stack, root);
        engine = EmbeddedClickHouse.shared(stack.chdbLibrary(),
                Path.of(System.getProperty("java.io.tmpdir"), "chgate-vault-test-" + ProcessHandle.current().pid()), 2);
        admin = new EngineAdminChannel(engine);
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        secretsSeen.add(stack.pgPassword());
        secretsSeen.add(stack.mariadbPassword());
        secretsSeen.add(stack.vaultToken());
    }

    @AfterAll
    static void secretsNeverReachTheLogs() {
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        for (String line : lines) {
            for (String secret : secretsSeen) {
                assertThat(line).doesNotContain(secret);
            }
        }
    }

    static IntegrationManager.Integration pg(String name, String role) {
        return new IntegrationManager.Integration(name, "postgresql", "127.0.0.1", stack.pgPort(), "shop",
                new SecretSource.DynamicDatabase("database", role), name);
    }

    @Test
    void readsKvV2SecretsAndTheirVersions() {
        int v1 = root.writeKv2("secret", "chgate-test/kv", Map.of("username", "kv_user", "password", "kv-pass-1"));
        int v2 = root.writeKv2("secret", "chgate-test/kv", Map.of("username", "kv_user", "password", "kv-pass-2"));
        assertThat(root.readKv2("secret", "chgate-test/kv", 0).data()).containsEntry("password", "kv-pass-2");
        assertThat(root.readKv2("secret", "chgate-test/kv", v1).data()).containsEntry("password", "kv-pass-1");
        assertThat(root.readKv2("secret", "chgate-test/kv", 0).version()).isEqualTo(v2);
        assertThat(root.readKv2("secret", "chgate-test/kv", 0).toString()).doesNotContain("kv-pass");
        root.writeKv2("secret", "chgate-test/kv-mapped", Map.of("login", "mapped_user", "secret", "mapped-pass"));
        assertThat(new SecretSource.Kv2("secret", "chgate-test/kv-mapped", 0, "login", "secret").fetch(root).data())
                .containsEntry("username", "mapped_user").containsEntry("password", "mapped-pass");
        assertThatThrownBy(() -> root.readKv2("secret", "chgate-test/absent", 0)).isInstanceOf(VaultException.class)
                .satisfies(e -> assertThat(((VaultException) e).status()).isEqualTo(404));
    }

    @Test
    void appRoleLogsInAndReadsWhatItsPolicyAllows() {
        JsonNode auths = root.call("GET", "sys/auth", null);
        if (!auths.has("approle/") && !auths.path("data").has("approle/")) {
            root.call("POST", "sys/auth/approle", VaultSetup.JSON.createObjectNode().put("type", "approle"));
        }
        root.call("PUT", "sys/policies/acl/chgate-test", VaultSetup.JSON.createObjectNode().put("policy",
                "path \"secret/data/chgate-test/*\" { capabilities = [\"read\"] }"));
        root.call("POST", "auth/approle/role/chgate", VaultSetup.JSON.createObjectNode()
                .put("token_policies", "chgate-test").put("token_ttl", "1h"));
        String roleId = root.call("GET", "auth/approle/role/chgate/role-id", null).path("data").path("role_id").asText();
        String secretId = root.call("POST", "auth/approle/role/chgate/secret-id", VaultSetup.JSON.createObjectNode())
                .path("data").path("secret_id").asText();
        root.writeKv2("secret", "chgate-test/approle", Map.of("password", "for-approle"));
        VaultClient app = new VaultClient(java.net.URI.create(stack.vaultAddr()), null,
                new VaultClient.Auth.AppRole("approle", roleId, secretId), java.net.http.HttpClient.newHttpClient(),
                Duration.ofSeconds(10));
        assertThat(app.readKv2("secret", "chgate-test/approle", 0).data()).containsEntry("password", "for-approle");
        assertThatThrownBy(() -> app.databaseCredentials("database", "shop_pg_reader"))
                .isInstanceOf(VaultException.class).hasMessageContaining("403");
    }

    @Test
    void aRenewableTokenRenewsItself() {
        String token = root.call("POST", "auth/token/create", VaultSetup.JSON.createObjectNode()
                .put("ttl", "60s").put("renewable", true).put("explicit_max_ttl", "1h")).path("auth")
                .path("client_token").asText();
        VaultClient client = VaultClient.withToken(stack.vaultAddr(), token);
        assertThat(client.lookupSelf().path("renewable").asBoolean()).isTrue();
        assertThat(client.renewSelf()).isGreaterThanOrEqualTo(59);
    }

    @Test
    void theManagerKeepsItsRenewableTokenAlive() throws Exception {
        String token = root.call("POST", "auth/token/create", VaultSetup.JSON.createObjectNode()
                .put("ttl", "6s").put("renewable", true).put("explicit_max_ttl", "1h")).path("auth")
                .path("client_token").asText();
        secretsSeen.add(token);
        VaultClient client = VaultClient.withToken(stack.vaultAddr(), token);
        try (IntegrationManager manager = new IntegrationManager(client, admin, List.of(), null, Duration.ofMinutes(5),
                false)) {
            assertThat(manager.integration("none")).isNull();
            Thread.sleep(9000);   // past the token's first 6 s
            assertThat(client.lookupSelf().path("ttl").asLong()).as("token still alive").isPositive();
        }
    }

    @Test
    void dynamicPostgresCredentialsReadTheRealTableAndAreRevokedOnClose() throws Exception {
        IntegrationManager.Integration shop = pg("vault_shop_pg", "shop_pg_reader");
        List<String> before = leases("database/creds/shop_pg_reader");
        String lease;
        try (IntegrationManager manager = new IntegrationManager(root, admin, List.of(shop), null, Duration.ofMinutes(5),
                true)) {
            assertThat(manager.ensure("vault_shop_pg").get(30, TimeUnit.SECONDS)).isEqualTo("vault_shop_pg");
            assertThat(engine.queryText("SELECT id, customer FROM postgresql(vault_shop_pg, table = 'orders') ORDER BY id",
                    "TSV")).isEqualTo("1\talice\n2\tbob\n3\tcarol\n");
            List<String> now = new ArrayList<>(leases("database/creds/shop_pg_reader"));
            now.removeAll(before);
            assertThat(now).as("one new lease").hasSize(1);
            lease = now.get(0);
        }
        assertThatThrownBy(() -> root.call("PUT", "sys/leases/lookup", VaultSetup.JSON.createObjectNode()
                .put("lease_id", lease))).as("the lease was revoked at close").isInstanceOf(VaultException.class)
                .hasMessageContaining("invalid lease");
    }

    private static List<String> leases(String prefix) {
        if (!root.call("LIST", "sys/leases/lookup/database/creds", null).path("data").path("keys").toString()
                .contains(prefix.substring(prefix.lastIndexOf('/') + 1))) {
            return List.of();
        }
        JsonNode keys = root.call("LIST", "sys/leases/lookup/" + prefix, null).path("data").path("keys");
        List<String> out = new ArrayList<>();
        keys.forEach(k -> out.add(prefix + "/" + k.asText()));
        return out;
    }

    @Test
    void shortLeasesRotateAndQueriesKeepWorking() throws Exception {
        IntegrationManager.Integration shop = pg("vault_rotating_pg", "shop_pg_short");
        try (IntegrationManager manager = new IntegrationManager(root, admin, List.of(shop), null, Duration.ofMinutes(5),
                false)) {
            manager.ensure("vault_rotating_pg").get(30, TimeUnit.SECONDS);
            String query = "SELECT count() FROM postgresql(vault_rotating_pg, table = 'orders')";
            assertThat(engine.queryText(query, "TSV")).isEqualTo("3\n");
            // The first user is VALID UNTIL its lease end (6 s): past it, only a rotated collection can log in.
            Thread.sleep(9000);
            assertThat(engine.queryText(query, "TSV")).isEqualTo("3\n");
        }
    }

    /**
     * Vault stopped mid-test: cached credentials keep serving until their lease ends, then the integration fails
     * with a clear error naming it, then it recovers by itself once Vault is back — same manager, no restart.
     * (The OpenBao dev server forgets its configuration when stopped, so the test configures it again, as an
     * operator's restored Vault would be.)
     */
    @Test
    void vaultDownServesUntilLeaseEndThenFailsClearlyThenRecovers() throws Exception {
        IntegrationManager.Integration shop = pg("vault_down_pg", "shop_pg_short");
        String query = "SELECT count() FROM postgresql(vault_down_pg, table = 'orders')";
        try (IntegrationManager manager = new IntegrationManager(root, admin, List.of(shop), null, Duration.ofMinutes(5),
                false)) {
            manager.ensure("vault_down_pg").get(30, TimeUnit.SECONDS);
            stack.stopService("openbao");
            try {
                assertThat(manager.ensure("vault_down_pg").get(5, TimeUnit.SECONDS)).isEqualTo("vault_down_pg");
                assertThat(engine.queryText(query, "TSV")).isEqualTo("3\n");
                Thread.sleep(7000);   // past the 6 s lease
                assertThatThrownBy(() -> manager.ensure("vault_down_pg").join())
                        .hasCauseInstanceOf(IntegrationUnavailableException.class)
                        .hasMessageContaining("integration 'vault_down_pg' has no valid credentials")
                        .hasMessageContaining("unreachable")
                        .hasMessageNotContaining(stack.vaultToken());
            } finally {
                stack.startService("openbao");
                VaultSetup.configure(stack, root);
            }
            assertThat(manager.ensure("vault_down_pg").get(30, TimeUnit.SECONDS)).isEqualTo("vault_down_pg");
            assertThat(engine.queryText(query, "TSV")).isEqualTo("3\n");
        }
    }

    /**
     * One integration database per {database, schema} pair, each over its own collection; rebuilt when the
     * credentials rotate (a database engine keeps the ones it was created with: without the rebuild the second read
     * fails, measured); only databases bearing chgate's mark are ever dropped.
     */
    @Test
    void integrationDatabasesPerPairAreRebuiltOnRotationAndOnlyChgatesAreDropped() throws Exception {
        psql("CREATE SCHEMA IF NOT EXISTS ledger; CREATE TABLE IF NOT EXISTS ledger.entries (id int, note text);"
                + " TRUNCATE ledger.entries; INSERT INTO ledger.entries VALUES (1, 'opening');"
                + " GRANT USAGE ON SCHEMA ledger TO PUBLIC; GRANT SELECT ON ledger.entries TO PUBLIC;");
        admin.execute("CREATE DATABASE IF NOT EXISTS someone_elses ENGINE = Memory");
        IntegrationManager.Integration shop = new IntegrationManager.Integration("vault_dbs_pg", "postgresql",
                "127.0.0.1", stack.pgPort(), "shop", new SecretSource.DynamicDatabase("database", "shop_pg_short"),
                "vault_dbs_pg", null, List.of(new IntegrationManager.ManagedDatabase("vault_dbs_pg_shop_public", "shop",
                        "public"), new IntegrationManager.ManagedDatabase("vault_dbs_pg_shop_ledger", "shop", "ledger")));
        try (IntegrationManager manager = new IntegrationManager(root, admin, List.of(shop), null, Duration.ofMinutes(5),
                false)) {
            manager.ensure("vault_dbs_pg").get(30, TimeUnit.SECONDS);
            assertThat(engine.queryText("SELECT name, engine, comment FROM system.databases WHERE name LIKE"
                    + " 'vault\\_dbs%' ORDER BY name", "TSV")).isEqualTo(
                            "vault_dbs_pg_shop_ledger\tPostgreSQL\tmanaged by chgate for integration vault_dbs_pg\n"
                            + "vault_dbs_pg_shop_public\tPostgreSQL\tmanaged by chgate for integration vault_dbs_pg\n");
            String orders = "SELECT customer FROM vault_dbs_pg_shop_public.orders ORDER BY id";
            String entries = "SELECT note FROM vault_dbs_pg_shop_ledger.entries";
            assertThat(engine.queryText(orders, "TSV")).isEqualTo("alice\nbob\ncarol\n");
            assertThat(engine.queryText(entries, "TSV")).isEqualTo("opening\n");
            Thread.sleep(9000);   // past the first user's 6 s lease: only databases rebuilt since can log in
            assertThat(engine.queryText(orders, "TSV")).isEqualTo("alice\nbob\ncarol\n");
            assertThat(engine.queryText(entries, "TSV")).isEqualTo("opening\n");
        }
        try {
            assertThat(new IntegrationDatabases(admin).dropAllBut(List.of("vault_dbs_pg_shop_public")))
                    .contains("vault_dbs_pg_shop_ledger").doesNotContain("vault_dbs_pg_shop_public", "someone_elses");
            assertThat(engine.queryText("SELECT name FROM system.databases WHERE name IN ('vault_dbs_pg_shop_public',"
                    + " 'vault_dbs_pg_shop_ledger', 'someone_elses') ORDER BY name", "TSV"))
                    .isEqualTo("someone_elses\nvault_dbs_pg_shop_public\n");
            assertThat(admin.execute(NamedCollectionDdl.keys("vault_dbs_pg_shop_ledger"))).as("its collection").isEmpty();
        } finally {
            admin.execute("DROP DATABASE IF EXISTS vault_dbs_pg_shop_public");
            admin.execute("DROP DATABASE IF EXISTS vault_dbs_pg_shop_ledger");
        }
    }

    @Test
    void aDatabaseChgateDidNotCreateIsNeverReplaced() throws Exception {
        admin.execute("CREATE DATABASE IF NOT EXISTS someone_elses ENGINE = Memory");
        admin.execute("CREATE TABLE IF NOT EXISTS someone_elses.kept (x UInt8) ENGINE = Memory");
        IntegrationManager.Integration shop = new IntegrationManager.Integration("vault_clash_pg", "postgresql",
                "127.0.0.1", stack.pgPort(), "shop", new SecretSource.DynamicDatabase("database", "shop_pg_reader"),
                "vault_clash_pg", null, List.of(new IntegrationManager.ManagedDatabase("someone_elses", "shop",
                        "public")));
        try (IntegrationManager manager = new IntegrationManager(root, admin, List.of(shop), null, Duration.ofMinutes(5),
                true)) {
            assertThatThrownBy(() -> manager.ensure("vault_clash_pg").join())
                    .hasMessageContaining("database someone_elses already exists and chgate did not create it");
        }
        assertThat(engine.queryText("SELECT engine FROM system.databases WHERE name = 'someone_elses'", "TSV"))
                .isEqualTo("Memory\n");
        assertThat(engine.queryText("EXISTS TABLE someone_elses.kept", "TSV")).isEqualTo("1\n");
    }

    /** ClickHouse 18.16 rejects the DDL and quotes it, password and all; the error chgate passes on must not. */
    @Test
    void aRefusedCollectionDdlDoesNotCarryThePassword() throws Exception {
        String password = "leak-check-" + System.nanoTime();
        secretsSeen.add(password);
        root.writeKv2("secret", "chgate-test/refused", Map.of("username", "u", "password", password));
        IntegrationManager.Integration refused = new IntegrationManager.Integration("vault_refused", "postgresql",
                "127.0.0.1", stack.pgPort(), "shop", new SecretSource.Kv2("secret", "chgate-test/refused", 0),
                "vault_refused");
        AdminChannel oldServer = new HttpAdminChannel(java.net.URI.create(stack.clickhouseHttpUrl()), "default", "");
        try (IntegrationManager manager = new IntegrationManager(root, oldServer, List.of(refused), null,
                Duration.ofMinutes(5), false)) {
            assertThatThrownBy(() -> manager.ensure("vault_refused").join())
                    .hasMessageContaining("integration 'vault_refused' has no valid credentials")
                    .hasMessageContaining("error code 62")
                    .hasMessageNotContaining(password);
        }
    }

    @Test
    void mariadbCredentialsWorkThroughMysql() throws Exception {
        IntegrationManager.Integration shop = new IntegrationManager.Integration("vault_shop_mariadb", "mysql",
                "127.0.0.1", stack.mariadbPort(), "shop", new SecretSource.DynamicDatabase("database",
                "shop_mariadb_reader"), "vault_shop_mariadb");
        try (IntegrationManager manager = new IntegrationManager(root, admin, List.of(shop), null, Duration.ofMinutes(5),
                true)) {
            manager.ensure("vault_shop_mariadb").get(30, TimeUnit.SECONDS);
            assertThat(engine.queryText("SELECT customer, amount FROM mysql(vault_shop_mariadb, table = 'orders') "
                    + "ORDER BY id", "TSV")).isEqualTo("alice\t12.5\nbob\t7.25\ncarol\t99.99\n");
        }
    }

    @Test
    void aThousandConcurrentColdRequestsCauseOneVaultRead() throws Exception {
        Path audit = stack.vaultAuditLog();
        long before = Files.readAllLines(audit).size();
        try (IntegrationManager manager = new IntegrationManager(root, admin, List.of(pg("vault_cold_pg",
                "shop_pg_reader")), null, Duration.ofMinutes(5), true)) {
            List<CompletableFuture<String>> all = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                all.add(CompletableFuture.supplyAsync(() -> manager.ensure("vault_cold_pg").join()));
            }
            for (CompletableFuture<String> f : all) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("vault_cold_pg");
            }
        }
        List<String> lines = Files.readAllLines(audit);
        long reads = lines.subList((int) before, lines.size()).stream()
                .filter(l -> l.contains("\"type\":\"request\"") && l.contains("\"path\":\"database/creds/shop_pg_reader\""))
                .count();
        assertThat(reads).as("Vault reads counted in OpenBao's audit log").isEqualTo(1);
    }

    @Test
    void clickHouseItselfRefusesOverridesOfSecretKeys() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("host", "127.0.0.1");
        values.put("port", Integer.toString(stack.pgPort()));
        values.put("database", "shop");
        values.put("user", stack.pgUser());
        values.put("password", stack.pgPassword());
        values.put("table", "");
        admin.execute(NamedCollectionDdl.drop("vault_locked", null));
        admin.execute(NamedCollectionDdl.create("vault_locked", values, null));
        assertThat(engine.queryText("SELECT count() FROM postgresql(vault_locked, table = 'orders')", "TSV")).isEqualTo("3\n");
        for (String override : List.of("host = 'attacker.example'", "port = 1", "user = 'other'", "password = 'x'",
                "database = 'postgres'")) {
            assertThatThrownBy(() -> engine.queryText("SELECT count() FROM postgresql(vault_locked, table = 'orders', "
                    + override + ")", "TSV")).as(override).isInstanceOf(io.chgate.engine.EngineException.class)
                    .hasMessageNotContaining(stack.pgPassword());
        }
    }

    /**
     * A PostgreSQL role whose password is hostile text: ClickHouse can log in with it only if every byte of the
     * value survived the DDL exactly (SCRAM authentication fails on any difference). No newline: ClickHouse's
     * PostgreSQL connector cannot log in with a password holding one even when it is written inline (measured
     * here with ClickHouse 26.7), so it would test ClickHouse, not chgate's quoting.
     */
    @Test
    void hostileValuesAreStoredVerbatim() throws Exception {
        String hostile = "x'); DROP TABLE t; --\\ \"`$$ \\' \\\\";
        secretsSeen.add(hostile);
        psql("DO $do$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chgate_hostile') THEN "
                + "CREATE ROLE chgate_hostile LOGIN; END IF; END $do$; ALTER ROLE chgate_hostile PASSWORD $q$" + hostile
                + "$q$; GRANT SELECT ON public.orders TO chgate_hostile;");
        Map<String, String> values = new LinkedHashMap<>();
        values.put("host", "127.0.0.1");
        values.put("port", Integer.toString(stack.pgPort()));
        values.put("database", "shop");
        values.put("user", "chgate_hostile");
        values.put("password", hostile);
        values.put("table", "");
        String name = "vault `hostile'";
        admin.execute(NamedCollectionDdl.drop(name, null));
        admin.execute(NamedCollectionDdl.create(name, values, null));
        admin.execute(NamedCollectionDdl.alter(name, values, null));
        assertThat(engine.queryText("SELECT count() FROM postgresql(`vault \\`hostile'`, table = 'orders')", "TSV"))
                .isEqualTo("3\n");
    }

    private static void psql(String sql) {
        stack.psql(sql);
    }
}
