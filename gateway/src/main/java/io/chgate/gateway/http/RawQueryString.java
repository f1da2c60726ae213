package io.chgate.gateway.http;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request URI's query string as ClickHouse reads it: pairs separated by {@code &} only (never {@code ;}),
 * {@code +} as a space, {@code %XX} escapes. Kept as the raw pairs, so parameters can be dropped while every other
 * byte of the URI stays as the client sent it. A malformed escape is refused rather than guessed at.
 */
public final class RawQueryString {
    private final String path;
    private final List<String> rawPairs;
    private final List<String> names;
    private final List<String> values;

    private RawQueryString(String path, List<String> rawPairs, List<String> names, List<String> values) {
        this.path = path;
        this.rawPairs = rawPairs;
        this.names = names;
        this.values = values;
    }

    public static RawQueryString parse(String uri) {
        int question = uri.indexOf('?');
        int hash = uri.indexOf('#');
        int queryEnd = hash < 0 ? uri.length() : hash;
        if (question < 0 || question > queryEnd) {
            return new RawQueryString(uri.substring(0, queryEnd), List.of(), List.of(), List.of());
        }
        int pairs = 1;
        for (int i = uri.indexOf('&', question); i >= 0 && i < queryEnd; i = uri.indexOf('&', i + 1)) {
            pairs++;
        }
        List<String> raw = new ArrayList<>(pairs);
        List<String> names = new ArrayList<>(pairs);
        List<String> values = new ArrayList<>(pairs);
        int start = question + 1;
        while (start <= queryEnd) {
            int amp = uri.indexOf('&', start);
            int end = amp < 0 || amp > queryEnd ? queryEnd : amp;
            if (end > start) {
                int eq = uri.indexOf('=', start);
                eq = eq < 0 || eq > end ? -1 : eq;
                raw.add(uri.substring(start, end));
                names.add(decode(uri, start, eq < 0 ? end : eq));
                values.add(eq < 0 ? "" : decode(uri, eq + 1, end));
            }
            start = end + 1;
        }
        return new RawQueryString(uri.substring(0, question), raw, names, values);
    }

    /** The first value of the parameter, or null. */
    public String first(String name) {
        int i = names.indexOf(name);
        return i < 0 ? null : values.get(i);
    }

    public int count(String name) {
        int n = 0;
        for (String each : names) {
            n += each.equals(name) ? 1 : 0;
        }
        return n;
    }

    public List<String> names() {
        return names;
    }

    /** The path: everything before the query string, exactly as sent (never decoded). */
    public String path() {
        return path;
    }

    /** Every parameter with its values in order, names as sent (ClickHouse's names are case-sensitive). */
    public java.util.Map<String, List<String>> asMap() {
        java.util.Map<String, List<String>> map = new java.util.LinkedHashMap<>(names.size() * 2);
        for (int i = 0; i < names.size(); i++) {
            map.computeIfAbsent(names.get(i), k -> new ArrayList<>(1)).add(values.get(i));
        }
        return map;
    }

    /** The URI without the named parameters; the path and every other pair exactly as sent. */
    public String uriWithout(String... dropped) {
        StringBuilder sb = new StringBuilder(path);
        char separator = '?';
        for (int i = 0; i < rawPairs.size(); i++) {
            if (!List.of(dropped).contains(names.get(i))) {
                sb.append(separator).append(rawPairs.get(i));
                separator = '&';
            }
        }
        return sb.toString();
    }

    /** Decodes {@code s[from, to)}: without escapes it is the substring itself. */
    private static String decode(String s, int from, int to) {
        int i = from;
        while (i < to && s.charAt(i) != '%' && s.charAt(i) != '+') {
            i++;
        }
        if (i == to) {
            return s.substring(from, to);
        }
        byte[] out = new byte[(to - from) * 3];   // a char above 0xFF takes up to three bytes of UTF-8
        int n = 0;
        for (i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out[n++] = ' ';
            } else if (c == '%') {
                int high = i + 2 < to ? Character.digit(s.charAt(i + 1), 16) : -1;
                int low = i + 2 < to ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new ClickHouseError(ErrorCode.BAD_ARGUMENTS, "chgate: malformed %-escape in the URL");
                }
                out[n++] = (byte) (high * 16 + low);
                i += 2;
            } else if (c < 0x100) {
                out[n++] = (byte) c;   // the request line arrives as bytes, one char each
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(bytes, 0, out, n, bytes.length);
                n += bytes.length;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
