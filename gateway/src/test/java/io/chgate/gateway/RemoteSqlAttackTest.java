package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.testkit.LocalStack;
import io.chgate.vault.VaultClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, rows 4 and 6, on the real stack: a gateway user allowed a PostgreSQL integration whose login may
 * {@code CREATE} in {@code public} cannot make PostgreSQL run SQL of its own through the keys ClickHouse hands on as
 * written (a dictionary's QUERY, {@code on_conflict}), nor read another schema; a MySQL dictionary cannot read another
 * MariaDB database. An integration with {@code allow_remote_sql: true} runs a plain dictionary QUERY.
 */
class RemoteSqlAttackTest {
    static final String ROLE = "rsql_login";
    static final String ROLE_PASSWORD = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(12));

    @TempDir
    static Path dir;
    static LocalStack stack;
    static FileConfiguredGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        stack.psql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE + "') THEN CREATE ROLE "
                + ROLE + " LOGIN; END IF; END $$; ALTER ROLE " + ROLE + " PASSWORD '" + ROLE_PASSWORD + "';"
                + " GRANT USAGE, CREATE ON SCHEMA public TO " + ROLE + "; GRANT SELECT ON public.orders TO " + ROLE
                + ";"
                + " DROP TABLE IF EXISTS public.rsql_pwned; CREATE TABLE IF NOT EXISTS public.rsql_items (id int"
                + " PRIMARY KEY, note text); TRUNCATE public.rsql_items; INSERT INTO public.rsql_items VALUES (1,"
                + " 'original'); GRANT SELECT, INSERT, UPDATE ON public.rsql_items TO " + ROLE + ";");
        VaultClient vault = VaultClient.withToken(stack.vaultAddr(), stack.vaultToken());
        vault.writeKv2("secret", "chgate-test/rsql_pg", Map.of("username", ROLE, "password", ROLE_PASSWORD));
        vault.writeKv2("secret", "chgate-test/rsql_my", Map.of("username", stack.mariadbUser(), "password",
                stack.mariadbPassword()));
        String pg = "source: postgresql, address: '127.0.0.1:" + stack.pgPort() + "', database: shop, credentials:"
                + " { kv: { path: chgate-test/rsql_pg } }";
        String integrations = "  - { name: rsql_pg, " + pg + " }\n"
                + "  - { name: rsql_open, allow_remote_sql: true, " + pg + " }\n"
                + "  - { name: rsql_my, source: mysql, address: '127.0.0.1:" + stack.mariadbPort() + "',"
                + " database: shop, credentials: { kv: { path: chgate-test/rsql_my } } }\n";
        Path file = dir.resolve("chgate.yaml");
        Files.writeString(file, ReloadTest.yaml(stack, ReloadTest.user("alice", "rsql_pg, rsql_my")
                + ReloadTest.user("bob", "rsql_open"), integrations));
        gateway = FileConfiguredGateway.start(file, Map.of("CHGATE_VAULT_TOKEN", stack.vaultToken()));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            for (String dictionary : List.of("rsql_inject", "rsql_unqualified", "rsql_mysql_users",
                    "rsql_open_orders")) {
                gateway.admin.execute("DROP DICTIONARY IF EXISTS default." + dictionary);
            }
            gateway.close();
        }
    }

    static RawHttp.Response query(String user, String sql) throws Exception {
        return IntegrationDatabasesTest.query(gateway.port(), user, "/", List.of(), sql);
    }

    static void assertRefused(RawHttp.Response response, String because) {
        assertThat(response.status()).as(response.bodyText()).isEqualTo(403);
        assertThat(response.bodyText()).startsWith("Code: 497. DB::Exception: chgate: ").contains(because);
        assertThat(response.headers()).contains(new RawHttp.Header("X-ClickHouse-Exception-Code", "497"));
    }

    /** Whether the integration's login still logs in with the password chgate has in Vault. */
    static boolean roleLogsIn() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-h", stack.pgHost(), "-p", Integer.toString(stack.pgPort()),
                "-U", ROLE, "-d", "shop", "-w", "-tAc", "SELECT 1").redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", ROLE_PASSWORD);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && out.equals("1");
    }

    @Test
    void aDictionaryQueryCannotRunASecondStatementAsTheLogin() throws Exception {
        String injected = "SELECT 1 AS id, ''x'' AS name) TO STDOUT; COMMIT; CREATE TABLE public.rsql_pwned (x int);"
                + " ALTER ROLE CURRENT_USER PASSWORD ''taken''; BEGIN; COPY (SELECT 1 AS id, ''x'' AS name";
        for (String spelling : List.of("NAME rsql_pg QUERY '" + injected + "'", "name rsql_pg query '" + injected + "'",
                "NAME rsql_pg TABLE 'orders' WHERE 'true) TO STDOUT; COMMIT; CREATE TABLE public.rsql_pwned (x int);"
                        + " BEGIN; COPY (SELECT 1'", "NAME rsql_pg TABLE 'orders' INVALIDATE_QUERY 'CREATE TABLE"
                        + " public.rsql_pwned (x int)'")) {
            assertRefused(query("alice", "CREATE DICTIONARY rsql_inject (id UInt64, name String) PRIMARY KEY id"
                    + " SOURCE(POSTGRESQL(" + spelling + ")) LIFETIME(0) LAYOUT(HASHED())"), "allow_remote_sql");
            query("alice", "SELECT * FROM rsql_inject");   // had it been created, this would load it
        }
        stack.psql("DO $$ BEGIN IF to_regclass('public.rsql_pwned') IS NOT NULL THEN RAISE EXCEPTION 'created';"
                + " END IF; END $$");
        assertThat(roleLogsIn()).as("the integration's login keeps its password").isTrue();
    }

    @Test
    void onConflictIsRefusedAndTheRowStays() throws Exception {
        assertRefused(query("alice", "INSERT INTO FUNCTION postgresql(rsql_pg, table = 'rsql_items', on_conflict ="
                + " 'ON CONFLICT (id) DO UPDATE SET note = ''overwritten''') VALUES (1, 'new')"), "allow_remote_sql");
        assertRefused(query("alice", "CREATE TABLE rsql_items_t (id Int32, note String) ENGINE = PostgreSQL(rsql_pg,"
                + " table = 'rsql_items', on_conflict = 'ON CONFLICT (id) DO UPDATE SET note = ''overwritten''')"),
                "allow_remote_sql");
        RawHttp.Response read = query("alice", "SELECT note FROM postgresql(rsql_pg, table = 'rsql_items')"
                + " WHERE id = 1");
        assertThat(read.bodyText()).as(read.statusLine()).isEqualTo("original\n");
    }

    @Test
    void anotherSchemaIsRefusedInEverySpelling() throws Exception {
        for (String sql : List.of(
                "SELECT count() FROM postgresql(rsql_pg, schema = 'pg_catalog', table = 'pg_tables')",
                "SELECT count() FROM postgresql(rsql_pg, `schema` = 'information_schema', table = 'schemata')",
                "SELECT count() FROM postgresql(rsql_pg, table = 'pg_catalog.pg_tables')",
                "CREATE DATABASE rsql_catalog ENGINE = PostgreSQL(rsql_pg, schema = 'pg_catalog')",
                "CREATE DICTIONARY rsql_inject (tablename String, schemaname String) PRIMARY KEY tablename"
                        + " SOURCE(POSTGRESQL(NAME rsql_pg SCHEMA 'pg_catalog' TABLE 'pg_tables')) LIFETIME(0)"
                        + " LAYOUT(COMPLEX_KEY_HASHED())")) {
            assertRefused(query("alice", sql), "may not read");
        }
        // Unqualified, a dictionary's table resolves through the login's search_path, which begins with pg_catalog:
        // the collection's schema pins it to public.
        RawHttp.Response created = query("alice", "CREATE DICTIONARY rsql_unqualified (tablename String, schemaname"
                + " String) PRIMARY KEY tablename SOURCE(POSTGRESQL(NAME rsql_pg TABLE 'pg_tables')) LIFETIME(0)"
                + " LAYOUT(COMPLEX_KEY_HASHED())");
        assertThat(created.status()).as(created.bodyText()).isEqualTo(200);
        RawHttp.Response read = query("alice", "SELECT count() FROM rsql_unqualified");
        assertThat(read.status()).as("pg_catalog.pg_tables must not be read: " + read.bodyText()).isNotEqualTo(200);
        assertThat(read.bodyText()).contains("public.pg_tables");
        assertThat(query("alice", "SELECT count() FROM postgresql(rsql_pg, schema = 'public', table = 'orders')")
                .bodyText()).isEqualTo("3\n");
        // A database over the collection shows the collection's schema only.
        RawHttp.Response database = query("alice", "CREATE DATABASE rsql_db ENGINE = PostgreSQL(rsql_pg)");
        assertThat(database.status()).as(database.bodyText()).isEqualTo(200);
        try {
            RawHttp.Response tables = query("alice", "SELECT name FROM system.tables WHERE database = 'rsql_db'"
                    + " ORDER BY name");
            assertThat(tables.bodyText()).as(tables.statusLine()).contains("orders").doesNotContain("pg_");
            RawHttp.Response catalog = query("alice", "SELECT count() FROM rsql_db.`pg_catalog.pg_tables`");
            assertThat(catalog.status()).as(catalog.bodyText()).isNotEqualTo(200);
        } finally {
            query("alice", "DROP DATABASE IF EXISTS rsql_db");
        }
    }

    @Test
    void aMysqlDictionaryQueryCannotReadAnotherDatabase() throws Exception {
        assertRefused(query("alice", "CREATE DICTIONARY rsql_mysql_users (User String, Host String) PRIMARY KEY User,"
                + " Host SOURCE(MYSQL(NAME rsql_my QUERY 'SELECT User, Host FROM mysql.user')) LIFETIME(0)"
                + " LAYOUT(COMPLEX_KEY_HASHED())"), "allow_remote_sql");
        assertRefused(query("alice", "CREATE DICTIONARY rsql_mysql_users (User String, Host String) PRIMARY KEY User,"
                + " Host SOURCE(MYSQL(NAME rsql_my TABLE 'mysql.user')) LIFETIME(0) LAYOUT(COMPLEX_KEY_HASHED())"),
                "may not read table");
        RawHttp.Response read = query("alice", "SELECT count() FROM rsql_mysql_users");
        assertThat(read.status()).as(read.bodyText()).isNotEqualTo(200);
    }

    @Test
    void withAllowRemoteSqlAPlainDictionaryQueryWorks() throws Exception {
        RawHttp.Response created = query("bob", "CREATE DICTIONARY rsql_open_orders (id UInt64, customer String)"
                + " PRIMARY KEY id SOURCE(POSTGRESQL(NAME rsql_open QUERY 'SELECT id, customer FROM public.orders'))"
                + " LIFETIME(0) LAYOUT(HASHED())");
        assertThat(created.status()).as(created.bodyText()).isEqualTo(200);
        RawHttp.Response read = query("bob", "SELECT dictGet('rsql_open_orders', 'customer', toUInt64(2))");
        assertThat(read.bodyText()).as(read.statusLine()).isEqualTo("bob\n");
        // the same key is still refused on the integration that does not allow it
        assertRefused(query("alice", "SELECT * FROM postgresql(rsql_pg, table = 'orders', schema = 'public',"
                + " on_conflict = 'ON CONFLICT DO NOTHING')"), "allow_remote_sql");
    }
}
