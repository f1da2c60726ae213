package io.chgate.sql;

import java.util.Locale;
import java.util.Set;

/**
 * One argument of a reference.
 *
 * @param key the key as written ({@code table} in {@code table = 'orders'}), or null for a positional argument
 * @param name the canonical name, lower case: the key, or the name the source's positional order gives, or null
 * @param start offset of the whole argument ({@code key = value} or the value alone)
 * @param valueStart offset of the value
 * @param end offset just past the value
 * @param kind what the value is
 * @param value the value: a string literal unescaped, a number or identifier as written, else the expression text
 * @param text the value exactly as written
 */
public record Argument(String key, String name, int start, int valueStart, int end, ValueKind kind, String value,
        String text) {

    public enum ValueKind { STRING, NUMBER, IDENTIFIER, EXPRESSION }

    /**
     * Argument names whose values are shown to a person: they say where and what, never as whom. Every other value —
     * passwords, keys, user names, unnamed positional arguments (a URL may carry {@code user:password@}) — is masked:
     * showing too little is the safe mistake.
     */
    private static final Set<String> SHOWN = Set.of("host_port", "host", "hostname", "port", "addresses_expr",
            "database", "db", "table", "schema", "on_conflict", "replace_query", "on_duplicate_clause",
            "use_table_cache", "collection", "structure", "format", "name", "where", "invalidate_query",
            "update_field", "update_lag", "query", "kafka_broker_list", "kafka_topic_list", "kafka_group_name",
            "kafka_format", "kafka_row_delimiter", "kafka_schema", "kafka_num_consumers");

    /** Whether the value must be masked wherever a person could see it. */
    public boolean isSecret() {
        return name == null || !SHOWN.contains(name);
    }

    /** The value for showing to a person: secrets masked. */
    public String displayValue() {
        return isSecret() ? "******" : value;
    }

    static String canonical(String key) {
        return key == null ? null : key.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return (name == null ? "" : name + "=") + displayValue();   // never the secret itself
    }
}
