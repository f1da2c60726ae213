package io.chgate.gateway.cache;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Builds the key of an answer from what decides it: the rights it was decided by, the statement as forwarded, the
 * database, every parameter that can change the answer's bytes (settings the registry calls output-neutral left out;
 * query parameters, format, compression kept) and the headers ClickHouse reads for the same. Parts are length-prefixed,
 * so no two different requests make the same key whatever their text holds.
 */
public final class CacheKey {
    /** Request headers that change an answer's bytes: its format, database and compression. */
    public static final List<String> HEADERS = List.of("x-clickhouse-format", "x-clickhouse-database",
            "accept-encoding");

    private final StringBuilder key = new StringBuilder(256);

    private CacheKey(String rights) {
        part(rights);
    }

    /** @param rights what the request may do, from {@link Rights}: answers are shared only between equal rights */
    public static CacheKey of(String rights) {
        return new CacheKey(rights);
    }

    public CacheKey statement(String sql) {
        part(sql);
        return this;
    }

    /**
     * The URL's parameters; those {@code neutral} says leave the answer's bytes alone are left out, so a dashboard
     * asking with another {@code query_id} or {@code max_threads} shares the answer.
     */
    public CacheKey parameters(Map<String, List<String>> params, Predicate<String> neutral) {
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        params.forEach((name, values) -> {
            if (!neutral.test(name)) {
                sorted.put(name, values);
            }
        });
        key.append('P').append(sorted.size());
        sorted.forEach((name, values) -> {
            part(name);
            key.append(values.size());
            values.forEach(this::part);
        });
        return this;
    }

    /** A header's value, or null when it was not sent. */
    public CacheKey header(String value) {
        if (value == null) {
            key.append('-');
        } else {
            part(value);
        }
        return this;
    }

    private void part(String value) {
        key.append(value.length()).append(':').append(value);
    }

    public String build() {
        return key.toString();
    }
}
