package io.chgate.gateway.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Line and column of every key in a YAML document, by dotted path, so that problems found after binding (where the
 * parser's locations are gone) can still point at the line a person has to fix.
 */
final class YamlLocations {
    private final Map<String, JsonLocation> byPath;

    private YamlLocations(Map<String, JsonLocation> byPath) {
        this.byPath = byPath;
    }

    static YamlLocations index(String yaml) {
        Map<String, JsonLocation> byPath = new HashMap<>();
        Deque<String> path = new ArrayDeque<>();
        Deque<Integer> arrayIndex = new ArrayDeque<>();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            String pendingField = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> {
                        pendingField = p.currentName();
                        byPath.put(join(path, pendingField), p.currentTokenLocation());
                    }
                    case START_OBJECT, START_ARRAY -> {
                        path.addLast(segment(pendingField, arrayIndex));
                        arrayIndex.addLast(t == JsonToken.START_ARRAY ? 0 : -1);
                        pendingField = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        path.removeLast();
                        arrayIndex.removeLast();
                        bumpIndex(arrayIndex);
                    }
                    default -> {
                        pendingField = null;
                        bumpIndex(arrayIndex);
                    }
                }
            }
        } catch (IOException e) {
            // A document that does not parse has no locations beyond the syntax error itself, reported elsewhere.
        }
        return new YamlLocations(byPath);
    }

    private static String segment(String field, Deque<Integer> arrayIndex) {
        if (field != null) {
            return field;
        }
        Integer index = arrayIndex.peekLast();
        return index == null ? "" : index >= 0 ? "[" + index + "]" : "";
    }

    private static void bumpIndex(Deque<Integer> arrayIndex) {
        Integer top = arrayIndex.peekLast();
        if (top != null && top >= 0) {
            arrayIndex.removeLast();
            arrayIndex.addLast(top + 1);
        }
    }

    private static String join(Deque<String> path, String field) {
        StringBuilder sb = new StringBuilder();
        for (String s : path) {
            if (s.isEmpty()) {
                continue;
            }
            if (sb.length() > 0 && !s.startsWith("[")) {
                sb.append('.');
            }
            sb.append(s);
        }
        if (sb.length() > 0) {
            sb.append('.');
        }
        return sb.append(field).toString();
    }

    /** The line:column of the key at this path or of its nearest parent, or null. */
    String find(String dottedPath) {
        for (String p = dottedPath; !p.isEmpty(); p = parent(p)) {
            JsonLocation location = byPath.get(p);
            if (location != null) {
                return location.getLineNr() + ":" + location.getColumnNr();
            }
        }
        return null;
    }

    private static String parent(String p) {
        int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        return cut < 0 ? "" : p.substring(0, cut);
    }
}
