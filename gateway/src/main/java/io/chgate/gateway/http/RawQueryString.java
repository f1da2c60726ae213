package io.chgate.gateway.http;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import java.io.ByteArrayOutputStream;
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
        List<String> raw = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        int start = question + 1;
        while (start <= queryEnd) {
            int amp = uri.indexOf('&', start);
            int end = amp < 0 || amp > queryEnd ? queryEnd : amp;
            if (end > start) {
                String pair = uri.substring(start, end);
                int eq = pair.indexOf('=');
                raw.add(pair);
                names.add(decode(eq < 0 ? pair : pair.substring(0, eq)));
                values.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
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
        java.util.Map<String, List<String>> map = new java.util.LinkedHashMap<>();
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

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new ClickHouseError(ErrorCode.BAD_ARGUMENTS, "chgate: malformed %-escape in the URL");
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c < 0x100) {
                out.write(c);   // the request line arrives as bytes, one char each
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
