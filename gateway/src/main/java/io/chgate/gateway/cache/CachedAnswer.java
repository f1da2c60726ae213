package io.chgate.gateway.cache;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A complete {@code 200} answer kept to be served again: the headers that describe its bytes (never those of one
 * execution, such as its query id), the body as ClickHouse sent it (compressed when the client asked so), when it was
 * stored, and the objects whose writes make it wrong.
 *
 * @param objects the names of the tables, views and dictionaries its statement read, as {@link ObjectNames} keeps them
 */
public record CachedAnswer(List<Map.Entry<String, String>> headers, byte[] body, Set<String> objects,
        long storedNanos) {

    /** What it costs the cache's {@code max_size}: its bytes, its headers and its key, plus the bookkeeping. */
    int weight(String key) {
        long headerBytes = 0;
        for (Map.Entry<String, String> h : headers) {
            headerBytes += h.getKey().length() + h.getValue().length() + 48;
        }
        long objectBytes = 0;
        for (String o : objects) {
            objectBytes += o.length() * 2L + 48;
        }
        return (int) Math.min(Integer.MAX_VALUE, body.length + headerBytes + objectBytes + key.length() * 2L + 256);
    }

    /** Whole seconds since it was stored (the {@code Age} header). */
    public long ageSeconds(long nowNanos) {
        return Math.max(0, (nowNanos - storedNanos) / 1_000_000_000L);
    }
}
