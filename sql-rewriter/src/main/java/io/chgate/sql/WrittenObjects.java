package io.chgate.sql;

import io.chgate.sql.ObjectReferences.Ref;
import io.chgate.sql.ObjectReferences.Use;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a write makes stale in the response cache, read from {@link ObjectReferences}' uses: every object a
 * statement writes, creates, drops, modifies or renames; and what a view's rows derive from, so a write to a source
 * also makes the view stale.
 */
final class WrittenObjects {
    /** Statements that change no table's rows or definition (CHECK TABLE only reads one). */
    private static final Set<String> CHANGE_NOTHING = Set.of("select", "with", "show", "describe", "desc", "exists",
            "explain", "use", "set", "watch", "check");

    private WrittenObjects() {
    }

    static Set<String> written(ParsedStatement statement, String currentDatabase) {
        try {
            statement.tokens();
        } catch (SqlParseException e) {
            return Set.of(CacheableRead.EVERYTHING);
        }
        Set<String> out = new LinkedHashSet<>();
        for (int s = 0; s < statement.statementCount(); s++) {
            int first = firstWord(statement, s);
            String head = word(statement, first);
            if (head != null && CHANGE_NOTHING.contains(head)) {
                continue;
            }
            ObjectReferences.Result refs = ObjectReferences.of(statement.statementText(s));
            if (refs.refusal() != null || "insert".equals(head) && writesTableFunction(statement, first)) {
                return Set.of(CacheableRead.EVERYTHING);   // which entries it makes stale cannot be told
            }
            for (Ref ref : refs.refs()) {
                if (ref.use() != Use.READ && ref.use() != Use.ENTERED) {
                    out.add(ref.isDatabase() ? ref.name() + ".*" : name(ref, currentDatabase));
                }
            }
        }
        return Collections.unmodifiableSet(out);
    }

    static Map<String, Set<String>> derivations(ParsedStatement statement, String currentDatabase) {
        try {
            statement.tokens();
        } catch (SqlParseException e) {
            return Map.of();
        }
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (int s = 0; s < statement.statementCount(); s++) {
            int first = firstWord(statement, s);
            String head = word(statement, first);
            if (!("create".equals(head) || "attach".equals(head)) || !definesView(statement, first + 1)) {
                continue;
            }
            ObjectReferences.Result refs = definition(statement, s, first);
            if (refs.refusal() != null) {
                continue;
            }
            Set<String> derived = new LinkedHashSet<>();
            Set<String> sources = new LinkedHashSet<>();
            for (Ref ref : refs.refs()) {
                if (ref.isDatabase()) {
                    continue;
                }
                switch (ref.use()) {
                    case CREATE, WRITE -> derived.add(name(ref, currentDatabase));
                    case READ -> sources.add(name(ref, currentDatabase));
                    default -> { }
                }
            }
            for (String d : derived) {
                out.computeIfAbsent(d, k -> new LinkedHashSet<>()).addAll(sources);
            }
        }
        out.replaceAll((k, v) -> Collections.unmodifiableSet(v));
        return Collections.unmodifiableMap(out);
    }

    static Set<String> uncacheableViews(ParsedStatement statement, String currentDatabase) {
        try {
            statement.tokens();
        } catch (SqlParseException e) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int s = 0; s < statement.statementCount(); s++) {
            int first = firstWord(statement, s);
            String head = word(statement, first);
            if (!("create".equals(head) || "attach".equals(head)) || !definesView(statement, first + 1)) {
                continue;
            }
            int kind = first + 1;
            if (isWord(statement, kind, "or")) {
                kind += 2;
            }
            if (isWord(statement, kind, "materialized")) {
                continue;   // its rows are stored when its sources are written, not computed on read
            }
            ObjectReferences.Result refs = definition(statement, s, first);
            Ref view = refs.refs().stream().filter(r -> r.use() == Use.CREATE && !r.isDatabase()).findFirst()
                    .orElse(null);
            if (view == null) {
                continue;
            }
            int select = selectOf(statement, kind, statement.statementTo(s));
            if (!isWord(statement, kind, "view") || select < 0 || !CacheableRead.of(ParsedStatement.of(
                    statement.sql().substring(statement.tokens().start(select), end(statement, s))), currentDatabase)
                    .cacheable()) {
                out.add(name(view, currentDatabase));   // a LIVE or WINDOW view is live; a VIEW runs its SELECT
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** A view's definition as ObjectReferences reads it; ATTACH of a full definition reads as its CREATE. */
    private static ObjectReferences.Result definition(ParsedStatement statement, int s, int first) {
        String text = statement.statementText(s);
        if (isWord(statement, first, "attach")) {   // same length, so the same tokens
            Tokens t = statement.tokens();
            int from = statement.statementFrom(s);
            int at = t.start(first) - (from == 0 ? 0 : t.end(from - 1));
            text = text.substring(0, at) + "CREATE" + text.substring(at + "attach".length());
        }
        return ObjectReferences.of(text);
    }

    /** The end of statement {@code s}'s text, its semicolon excluded. */
    private static int end(ParsedStatement statement, int s) {
        Tokens t = statement.tokens();
        int to = statement.statementTo(s);
        return t.end(to - 1);
    }

    /** The first token of a view's SELECT: past the first AS outside parentheses; -1 when there is none. */
    private static int selectOf(ParsedStatement statement, int from, int to) {
        Tokens t = statement.tokens();
        int depth = 0;
        for (int i = from; i + 1 < to; i++) {
            TokenType type = t.type(i);
            depth += type == TokenType.LPAREN ? 1 : type == TokenType.RPAREN ? -1 : 0;
            if (depth == 0 && isWord(statement, i, "as")) {
                return i + 1;
            }
        }
        return -1;
    }

    /** CREATE [OR REPLACE] [MATERIALIZED | LIVE | WINDOW] VIEW, from the word after CREATE / ATTACH. */
    private static boolean definesView(ParsedStatement statement, int i) {
        if (isWord(statement, i, "or") && isWord(statement, i + 1, "replace")) {
            i += 2;
        }
        if (isWord(statement, i, "materialized") || isWord(statement, i, "live") || isWord(statement, i, "window")) {
            i++;
        }
        return isWord(statement, i, "view");
    }

    /** INSERT INTO FUNCTION f(...): rows of a table function, which no cache entry names as an object. */
    private static boolean writesTableFunction(ParsedStatement statement, int insert) {
        int i = isWord(statement, insert + 1, "into") ? insert + 2 : insert + 1;
        return isWord(statement, i, "function");
    }

    private static String name(Ref ref, String currentDatabase) {
        return (ref.database() == null ? currentDatabase : ref.database()) + "." + ref.name();
    }

    /** The index of the statement's first word, past opening parentheses. */
    private static int firstWord(ParsedStatement statement, int s) {
        int i = statement.statementFrom(s);
        while (i < statement.statementTo(s) && statement.tokens().type(i) == TokenType.LPAREN) {
            i++;
        }
        return i;
    }

    private static String word(ParsedStatement statement, int i) {
        Tokens t = statement.tokens();
        return i < t.size() && t.type(i) == TokenType.WORD
                ? statement.text(i).toLowerCase(java.util.Locale.ROOT) : null;
    }

    private static boolean isWord(ParsedStatement statement, int i, String keyword) {
        return keyword.equals(word(statement, i));
    }
}
