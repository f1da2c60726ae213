package io.chgate.sql;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every key a reference to an integration may give, per source and per kind of reference, with what its value does
 * (ClickHouse 26.7's table functions, table and database engines and dictionary sources). A key not listed for the
 * source and kind is refused: default deny. {@link Role#REMOTE_SQL} values are SQL that ClickHouse hands to the
 * remote database as written — a dictionary's {@code QUERY}, {@code WHERE}, {@code INVALIDATE_QUERY},
 * {@code UPDATE_FIELD}; PostgreSQL's {@code on_conflict} and MySQL's {@code on_duplicate_clause}, appended to
 * inserts — so whoever writes them runs SQL as the integration's login.
 *
 * <p>MongoDB, Redis, ODBC, JDBC, ClickHouse and the other remote sources are no integration's: {@link SourceRegistry}
 * refuses them whole, so none of their keys can reach this table.
 */
final class IntegrationKeys {

    enum Role {
        /** Where and as whom: taken from the collection; written inline only to find the integration. */
        CONNECTION,
        /** The remote table; for PostgreSQL and MySQL it may not name another schema or database. */
        TABLE,
        /** The PostgreSQL schema; one of the integration's {@code schemas}. */
        SCHEMA,
        /** Comma-separated schemas, each one of the integration's. */
        SCHEMA_LIST,
        /** Comma-separated tables, each checked as {@link #TABLE}. */
        TABLE_LIST,
        /** SQL run on the remote database as the integration's login. */
        REMOTE_SQL,
        /** A flag or number that changes how, not what, ClickHouse reads. */
        OPTION
    }

    private record Key(Role role, Set<Reference.Kind> kinds) {
    }

    private static final Set<Reference.Kind> ALL = EnumSet.allOf(Reference.Kind.class);
    private static final Set<Reference.Kind> TABLES = EnumSet.of(Reference.Kind.TABLE_FUNCTION,
            Reference.Kind.TABLE_ENGINE);
    private static final Set<Reference.Kind> READS = EnumSet.of(Reference.Kind.TABLE_FUNCTION,
            Reference.Kind.TABLE_ENGINE, Reference.Kind.DICTIONARY_SOURCE);
    private static final Set<Reference.Kind> DICTIONARY = EnumSet.of(Reference.Kind.DICTIONARY_SOURCE);
    private static final Set<Reference.Kind> DATABASE = EnumSet.of(Reference.Kind.DATABASE_ENGINE);
    private static final Set<Reference.Kind> NOT_DICTIONARY = EnumSet.of(Reference.Kind.TABLE_FUNCTION,
            Reference.Kind.TABLE_ENGINE, Reference.Kind.DATABASE_ENGINE);

    private static final Map<String, Map<String, Key>> BY_SOURCE = Map.of(
            "postgresql", sqlDatabase(Map.of(
                    "schema", new Key(Role.SCHEMA, ALL),
                    "on_conflict", new Key(Role.REMOTE_SQL, TABLES),
                    "use_table_cache", new Key(Role.OPTION, DATABASE),
                    // MaterializedPostgreSQL's SETTINGS; slot and snapshot names stay refused: they are another's.
                    "materialized_postgresql_schema", new Key(Role.SCHEMA, DATABASE),
                    "materialized_postgresql_schema_list", new Key(Role.SCHEMA_LIST, DATABASE),
                    "materialized_postgresql_tables_list", new Key(Role.TABLE_LIST, DATABASE),
                    "materialized_postgresql_tables_list_with_schema", new Key(Role.OPTION, DATABASE),
                    "materialized_postgresql_max_block_size", new Key(Role.OPTION, DATABASE))),
            "mysql", sqlDatabase(Map.of(
                    "on_duplicate_clause", new Key(Role.REMOTE_SQL, TABLES),
                    "replace_query", new Key(Role.OPTION, TABLES),
                    "connection_pool_size", new Key(Role.OPTION, NOT_DICTIONARY),
                    "connection_max_tries", new Key(Role.OPTION, NOT_DICTIONARY),
                    "close_connection", new Key(Role.OPTION, DICTIONARY),
                    "share_connection", new Key(Role.OPTION, DICTIONARY),
                    "fail_on_connection_loss", new Key(Role.OPTION, DICTIONARY),
                    "dont_check_update_time", new Key(Role.OPTION, DICTIONARY))),
            "kafka", kafka());

    private IntegrationKeys() {
    }

    private static Map<String, Key> sqlDatabase(Map<String, Key> own) {
        Map<String, Key> keys = new HashMap<>(own);
        for (String connection : new String[] {"host_port", "host", "hostname", "port", "addresses_expr", "database",
            "db", "user", "username", "password"}) {
            keys.put(connection, new Key(Role.CONNECTION, ALL));
        }
        keys.put("table", new Key(Role.TABLE, READS));
        for (String sql : new String[] {"query", "where", "invalidate_query", "update_field"}) {
            keys.put(sql, new Key(Role.REMOTE_SQL, DICTIONARY));
        }
        keys.put("update_lag", new Key(Role.OPTION, DICTIONARY));
        return Map.copyOf(keys);
    }

    private static Map<String, Key> kafka() {
        Map<String, Key> keys = new HashMap<>();
        for (String connection : new String[] {"kafka_broker_list", "kafka_security_protocol", "kafka_sasl_mechanism",
            "kafka_sasl_username", "kafka_sasl_password"}) {
            keys.put(connection, new Key(Role.CONNECTION, ALL));
        }
        for (String option : new String[] {"kafka_topic_list", "kafka_group_name", "kafka_format",
            "kafka_row_delimiter", "kafka_schema", "kafka_num_consumers", "kafka_max_block_size",
            "kafka_skip_broken_messages", "kafka_commit_every_batch", "kafka_thread_per_consumer",
            "kafka_handle_error_mode", "kafka_client_id", "kafka_poll_timeout_ms", "kafka_flush_interval_ms"}) {
            keys.put(option, new Key(Role.OPTION, ALL));
        }
        return Map.copyOf(keys);
    }

    /**
     * What the key does in a reference of this kind to this integration source ({@code postgresql}, {@code mysql},
     * {@code kafka}), or null when it is not one the reference may give.
     */
    static Role role(String source, Reference.Kind kind, String key) {
        Map<String, Key> keys = key == null ? null : BY_SOURCE.get(source);
        Key k = keys == null ? null : keys.get(key);
        return k == null || !k.kinds().contains(kind) ? null : k.role();
    }

    /** The keys a reference of this kind may give with a named collection, for an error message. */
    static Set<String> choosable(String source, Reference.Kind kind) {
        Set<String> names = new TreeSet<>();
        BY_SOURCE.getOrDefault(source, Map.of()).forEach((name, key) -> {
            if (key.role() != Role.CONNECTION && key.kinds().contains(kind)) {
                names.add(name);
            }
        });
        return names;
    }
}
