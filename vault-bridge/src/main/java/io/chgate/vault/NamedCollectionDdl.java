package io.chgate.vault;

import io.chgate.sql.SqlText;
import java.util.Map;
import java.util.Set;

/**
 * The DDL of chgate-managed named collections. Every identifier and value is quoted, so hostile values (quotes,
 * backslashes, newlines, {@code '); DROP ...}) are stored verbatim and cannot change the statement. Every key that
 * carries or directs the secret is set and NOT OVERRIDABLE: otherwise {@code postgresql(nc, host = 'attacker')}
 * would make ClickHouse send the stored password to a host of the client's choosing. That includes
 * {@code addresses_expr}, which ClickHouse prefers to host and port: a key the collection lacks is overridable by
 * default, so it must be present to be locked (measured on the 26.7 engine).
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
        return alter(name, values, java.util.List.of(), cluster);
    }

    /** Sets every key of {@code values} and deletes {@code stray} keys: the collection ends exactly as given. */
    public static String alter(String name, Map<String, String> values, java.util.Collection<String> stray,
            String cluster) {
        StringBuilder sql = new StringBuilder("ALTER NAMED COLLECTION ").append(SqlText.quoteIdentifier(name))
                .append(onCluster(cluster)).append(" SET ").append(assignments(values));
        if (!stray.isEmpty()) {
            sql.append(" DELETE ");
            sql.append(String.join(", ", stray.stream().map(SqlText::quoteIdentifier).toList()));
        }
        return sql.toString();
    }

    /** The keys the collection holds now (values stay hidden): one per line, or nothing when it does not exist. */
    public static String keys(String name) {
        return "SELECT arrayJoin(mapKeys(collection)) FROM system.named_collections WHERE name = "
                + SqlText.quoteString(name);
    }

    public static String drop(String name, String cluster) {
        return "DROP NAMED COLLECTION IF EXISTS " + SqlText.quoteIdentifier(name) + onCluster(cluster);
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
