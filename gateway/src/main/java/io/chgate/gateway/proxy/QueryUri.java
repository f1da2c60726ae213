package io.chgate.gateway.proxy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Edits the {@code query} parameter of a request URI while leaving every other byte of it as the client sent it
 * (re-encoding the whole query string would change how other parameters are escaped).
 */
final class QueryUri {
    private QueryUri() {
    }

    /** The URI with its first {@code query} parameter's value replaced, or removed when {@code sql} is null. */
    static String withQuery(String uri, String sql) {
        int questionMark = uri.indexOf('?');
        if (questionMark < 0) {
            return sql == null ? uri : uri + "?query=" + encode(sql);
        }
        int hash = uri.indexOf('#', questionMark);
        String fragment = hash < 0 ? "" : uri.substring(hash);
        String rawQuery = uri.substring(questionMark + 1, hash < 0 ? uri.length() : hash);
        StringBuilder out = new StringBuilder(uri.length() + (sql == null ? 0 : sql.length() * 2));
        out.append(uri, 0, questionMark);
        boolean replaced = false;
        boolean first = true;
        int start = 0;
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            String pair = rawQuery.substring(start, end);
            boolean isQuery = !replaced && (pair.equals("query") || pair.startsWith("query="));
            if (isQuery) {
                replaced = true;
                if (sql != null) {
                    out.append(first ? '?' : '&').append("query=").append(encode(sql));
                    first = false;
                }
            } else if (!pair.isEmpty() || amp >= 0) {
                out.append(first ? '?' : '&').append(pair);
                first = false;
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        if (!replaced && sql != null) {
            out.append(first ? '?' : '&').append("query=").append(encode(sql));
        }
        return out.append(fragment).toString();
    }

    /** The URI with {@code name=value} (already encoded) appended as its last parameter. */
    static String withParameter(String uri, String encodedPair) {
        int hash = uri.indexOf('#');
        String base = hash < 0 ? uri : uri.substring(0, hash);
        String fragment = hash < 0 ? "" : uri.substring(hash);
        char separator = base.indexOf('?') < 0 ? '?' : base.endsWith("?") || base.endsWith("&") ? 0 : '&';
        return (separator == 0 ? base : base + separator) + encodedPair + fragment;
    }

    private static String encode(String sql) {
        // ClickHouse decodes '+' as a space too, but %20 reads the same in every decoder.
        return URLEncoder.encode(sql, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
