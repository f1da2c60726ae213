package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys whose value is SQL for the remote database are refused unless the integration allows remote SQL, in every
 * spelling a reference can give them; PostgreSQL references stay inside the integration's schemas and MySQL ones
 * inside its database; a key chgate does not know for the source is refused.
 */
class RemoteSqlScopeTest {
    static final CollectionResolver.Endpoint PG = new CollectionResolver.Endpoint("postgresql", "pg.prod:5432",
            "shop", "shop_pg");
    static final CollectionResolver.Endpoint MY = new CollectionResolver.Endpoint("mysql", "mysql.prod:3306", "crm",
            "crm_mysql");
    static final CollectionResolver DEFAULTS = new CollectionResolver(List.of(PG, MY));
    static final CollectionResolver REMOTE_SQL_ALLOWED = new CollectionResolver(List.of(
            PG.scoped(true, List.of("public")), MY.scoped(true, null)));

    static Resolution resolve(CollectionResolver resolver, String sql) {
        List<Reference> refs = SqlRewriter.analyze(sql);
        assertThat(refs).as(sql).hasSize(1);
        return resolver.resolve(refs.get(0));
    }

    static final String INJECTION = "SELECT 1) TO STDOUT; COMMIT; ALTER ROLE CURRENT_USER PASSWORD ''x''; BEGIN;"
            + " COPY (SELECT 1";

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(POSTGRESQL(NAME shop_pg QUERY '" + INJECTION + "'))"
                + " LIFETIME(0) LAYOUT(HASHED())",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(POSTGRESQL(name shop_pg query 'SELECT 1 AS id'))"
                + " LIFETIME(0) LAYOUT(HASHED())",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(PostgreSQL(NAME shop_pg TABLE 'orders' WHERE"
                + " 'id > 0 UNION SELECT 1') ) LIFETIME(0) LAYOUT(HASHED())",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(POSTGRESQL(NAME shop_pg TABLE 'orders'"
                + " INVALIDATE_QUERY 'SELECT pg_sleep(1)')) LIFETIME(MIN 1 MAX 2) LAYOUT(HASHED())",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(POSTGRESQL(NAME shop_pg TABLE 'orders'"
                + " UPDATE_FIELD 'now() > now() OR 1')) LIFETIME(MIN 1 MAX 2) LAYOUT(HASHED())",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(POSTGRESQL(host 'pg.prod' port 5432 db 'shop'"
                + " user 'u' password 'p' query 'SELECT 1 AS id')) LIFETIME(0) LAYOUT(HASHED())",
        "INSERT INTO FUNCTION postgresql(shop_pg, table = 'orders', on_conflict = 'ON CONFLICT DO NOTHING') VALUES (1)",
        "INSERT INTO FUNCTION postgresql(shop_pg, table = 'orders', `ON_CONFLICT` = 'ON CONFLICT DO NOTHING') VALUES"
                + " (1)",
        "INSERT INTO TABLE FUNCTION postgresql('pg.prod:5432', 'shop', 'orders', 'u', 'p', 'public',"
                + " 'ON CONFLICT DO NOTHING') VALUES (1)",
        "CREATE TABLE t (id Int32) ENGINE = PostgreSQL(shop_pg, table = 'orders', on_conflict = 'ON CONFLICT DO"
                + " NOTHING')",
        "CREATE TABLE t (id Int32) ENGINE = PostgreSQL(host = 'pg.prod', port = 5432, database = 'shop', table ="
                + " 'orders', user = 'u', password = 'p', on_conflict = 'ON CONFLICT DO NOTHING')",
        "INSERT INTO FUNCTION mysql(crm_mysql, table = 'leads', on_duplicate_clause = 'UPDATE id = 1') VALUES (1)",
        "INSERT INTO FUNCTION mysql('mysql.prod:3306', 'crm', 'leads', 'u', 'p', 0, 'UPDATE id = 1') VALUES (1)",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(MYSQL(NAME crm_mysql QUERY 'SELECT 1 AS id FROM"
                + " mysql.user')) LIFETIME(0) LAYOUT(HASHED())",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(MySQL(NAME crm_mysql TABLE 'leads' Where '1=1'))"
                + " LIFETIME(0) LAYOUT(HASHED())"
    })
    void remoteSqlIsRefusedUnlessTheIntegrationAllowsIt(String sql) {
        Resolution refused = resolve(DEFAULTS, sql);
        assertThat(refused).as(sql).isInstanceOf(Resolution.Refuse.class);
        assertThat(((Resolution.Refuse) refused).reason()).startsWith("chgate: ").contains("allow_remote_sql")
                .doesNotContain("COMMIT").doesNotContain("CONFLICT").doesNotContain("UPDATE id");
        assertThat(resolve(REMOTE_SQL_ALLOWED, sql)).as(sql).isNotInstanceOf(Resolution.Refuse.class);
    }

    @Test
    void allowedRemoteSqlKeepsItsValueInTheRewrite() {
        assertThat(SqlRewriter.rewriteSql("INSERT INTO FUNCTION postgresql('pg.prod:5432', 'shop', 'orders', 'u', 'p',"
                + " 'public', 'ON CONFLICT DO NOTHING') VALUES (1)", REMOTE_SQL_ALLOWED)).isEqualTo("INSERT INTO"
                + " FUNCTION postgresql(shop_pg, table = 'orders', schema = 'public', on_conflict = 'ON CONFLICT DO"
                + " NOTHING') VALUES (1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM postgresql(shop_pg, schema = 'pg_catalog', table = 'pg_authid')",
        "SELECT * FROM postgresql(shop_pg, `schema` = \"information_schema\", table = 'tables')",
        "SELECT * FROM postgresql(shop_pg, table = 'pg_catalog.pg_authid')",
        "SELECT * FROM postgresql(shop_pg, table = 'public.pg_catalog.pg_authid')",
        "SELECT * FROM postgresql(shop_pg, schema = 'PUBLIC', table = 'orders')",
        "SELECT * FROM postgresql(shop_pg, schema = concat('pg_', 'catalog'), table = 'pg_authid')",
        "SELECT * FROM postgresql(shop_pg, table = concat('pg_catalog.', 'pg_authid'))",
        "SELECT * FROM postgresql('pg.prod:5432', 'shop', 'pg_authid', 'u', 'p', 'pg_catalog')",
        "CREATE TABLE t (rolname String) ENGINE = PostgreSQL(shop_pg, table = 'pg_authid', schema = 'pg_catalog')",
        "CREATE DATABASE d ENGINE = PostgreSQL(shop_pg, schema = 'pg_catalog')",
        "CREATE DATABASE d ENGINE = PostgreSQL('pg.prod:5432', 'shop', 'u', 'p', 'pg_catalog')",
        "CREATE DICTIONARY d (oid UInt64) PRIMARY KEY oid SOURCE(POSTGRESQL(NAME shop_pg SCHEMA 'pg_catalog' TABLE"
                + " 'pg_roles')) LIFETIME(0) LAYOUT(HASHED())",
        "CREATE DICTIONARY d (oid UInt64) PRIMARY KEY oid SOURCE(POSTGRESQL(NAME shop_pg TABLE 'pg_catalog.pg_roles'))"
                + " LIFETIME(0) LAYOUT(HASHED())",
        "CREATE DATABASE m ENGINE = MaterializedPostgreSQL(shop_pg) SETTINGS materialized_postgresql_schema ="
                + " 'pg_catalog'",
        "CREATE DATABASE m ENGINE = MaterializedPostgreSQL(shop_pg) SETTINGS materialized_postgresql_schema_list ="
                + " 'public, pg_catalog'",
        "CREATE DATABASE m ENGINE = MaterializedPostgreSQL(shop_pg) SETTINGS"
                + " materialized_postgresql_tables_list_with_schema = 1, materialized_postgresql_tables_list ="
                + " 'public.orders,pg_catalog.pg_authid'",
        "CREATE DATABASE m ENGINE = MaterializedPostgreSQL(shop_pg) SETTINGS materialized_postgresql_replication_slot"
                + " = 'someone_elses'",
        "CREATE DATABASE m ENGINE = MaterializedPostgreSQL(shop_pg) SETTINGS materialized_postgresql_max_block_size ="
                + " toUInt64(8192), materialized_postgresql_schema = 'pg_catalog' COMMENT 'x'",
        "CREATE DATABASE m ENGINE = MaterializedPostgreSQL(shop_pg) SETTINGS materialized_postgresql_tables_list ="
                + " 'orders', `materialized_postgresql_schema` = 'pg_catalog'",
        "CREATE DATABASE m ENGINE = MaterializedPostgreSQL(shop_pg) SETTINGS materialized_postgresql_tables_list ="
                + " concat('pg_catalog.', 'pg_authid')",
        "SELECT * FROM mysql(crm_mysql, table = 'mysql.user')",
        "CREATE DICTIONARY d (User String) PRIMARY KEY User SOURCE(MYSQL(NAME crm_mysql TABLE 'mysql.user'))"
                + " LIFETIME(0) LAYOUT(COMPLEX_KEY_HASHED())",
        "SELECT * FROM mysql(crm_mysql, table = 'leads', database = 'mysql')",
        "CREATE DICTIONARY d (User String) PRIMARY KEY User SOURCE(MYSQL(NAME crm_mysql DB 'mysql' TABLE 'user'))"
                + " LIFETIME(0) LAYOUT(COMPLEX_KEY_HASHED())"
    })
    void anotherSchemaOrDatabaseIsRefusedEvenWithRemoteSqlAllowed(String sql) {
        for (CollectionResolver resolver : List.of(DEFAULTS, REMOTE_SQL_ALLOWED)) {
            Resolution refused = resolve(resolver, sql);
            assertThat(refused).as(sql).isInstanceOf(Resolution.Refuse.class);
            assertThat(((Resolution.Refuse) refused).reason()).startsWith("chgate: ").doesNotContain("'p'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM postgresql(shop_pg, table = 'orders')",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', schema = 'public')",
        "SELECT * FROM postgresql(shop_pg, table = 'public.orders')",
        "CREATE DATABASE d ENGINE = PostgreSQL(shop_pg, schema = 'public', use_table_cache = 1)",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(POSTGRESQL(NAME shop_pg SCHEMA 'public' TABLE 'orders'"
                + " UPDATE_LAG 5)) LIFETIME(0) LAYOUT(HASHED())",
        "CREATE DATABASE m ENGINE = MaterializedPostgreSQL(shop_pg) SETTINGS materialized_postgresql_tables_list ="
                + " 'orders, public.leads'",
        "SELECT * FROM mysql(crm_mysql, table = 'crm.leads')",
        "INSERT INTO FUNCTION mysql(crm_mysql, table = 'leads', replace_query = 1) VALUES (1)",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(MYSQL(NAME crm_mysql TABLE 'leads'"
                + " FAIL_ON_CONNECTION_LOSS 'true')) LIFETIME(0) LAYOUT(HASHED())"
    })
    void readingTheIntegrationsOwnTablesPasses(String sql) {
        assertThat(resolve(DEFAULTS, sql)).as(sql).isEqualTo(Resolution.KEEP);
    }

    @Test
    void theConfiguredSchemasAreTheOnesAllowed() {
        CollectionResolver ledger = new CollectionResolver(List.of(PG.scoped(false, List.of("ledger", "sales"))));
        assertThat(resolve(ledger, "SELECT * FROM postgresql(shop_pg, schema = 'ledger', table = 'entries')"))
                .isEqualTo(Resolution.KEEP);
        assertThat(resolve(ledger, "SELECT * FROM postgresql(shop_pg, table = 'sales.leads')"))
                .isEqualTo(Resolution.KEEP);
        Resolution publicRefused = resolve(ledger, "SELECT * FROM postgresql(shop_pg, schema = 'public', table = 'o')");
        assertThat(((Resolution.Refuse) publicRefused).reason()).contains("schema public")
                .contains("allows the schemas ledger, sales");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM postgresql('pg.prod:5432', 'shop', 'orders', 'u', 'p', 'public', 'ON CONFLICT DO NOTHING',"
                + " 'extra')",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(POSTGRESQL(host 'pg.prod' port 5432 db 'shop'"
                + " user 'u' password 'p' table 'orders' replica(host 'evil' port 1))) LIFETIME(0) LAYOUT(HASHED())",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', use_table_cache = 1)",
        "SELECT * FROM mysql(crm_mysql, table = 'leads', schema = 'mysql')",
        "SELECT * FROM mysql(crm_mysql, table = 'leads', ssl_ca = '/etc/shadow')",
        "SELECT * FROM postgresql(crm_mysql, table = 'leads')"
    })
    void aKeyChgateDoesNotKnowForTheSourceIsRefused(String sql) {
        assertThat(resolve(REMOTE_SQL_ALLOWED, sql)).as(sql).isInstanceOf(Resolution.Refuse.class);
    }
}
