package io.chgate.sql;

import static io.chgate.sql.StatementWords.firstWord;
import static io.chgate.sql.StatementWords.isWord;
import static io.chgate.sql.StatementWords.objectName;
import static io.chgate.sql.StatementWords.word;

import io.chgate.sql.ObjectReferences.Ref;
import io.chgate.sql.ObjectReferences.Use;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a definition (CREATE, REPLACE or ATTACH of a view or table) tells the response cache beyond the object it
 * writes: what the object's rows derive from (a view's SELECT, a Buffer's or Alias's table), and whether reads of it
 * can ever be cached (a view running a non-deterministic SELECT, a table of a live engine, columns computed from a
 * non-deterministic function — which an ALTER TABLE may give a table too).
 */
final class DefinedObjects {
    private DefinedObjects() {
    }

    /** One definition statement: where its kind word is, and which kind. */
    private record Definition(int statement, int head, int kind, boolean view, boolean materialized) {
    }

    static Map<String, Set<String>> derivations(ParsedStatement statement, String currentDatabase) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (int s = 0; s < count(statement); s++) {
            Definition d = definition(statement, s);
            if (d == null || !d.view() && !readsTableThrough(statement, d)) {
                continue;
            }
            ObjectReferences.Result refs = refs(statement, d);
            Set<String> derived = new LinkedHashSet<>();
            Set<String> sources = new LinkedHashSet<>();
            for (Ref ref : refs.refs()) {
                if (!ref.isDatabase() && (ref.use() == Use.CREATE || ref.use() == Use.WRITE && d.view())) {
                    derived.add(objectName(ref, currentDatabase));
                } else if (!ref.isDatabase() && ref.use() == Use.READ) {
                    sources.add(objectName(ref, currentDatabase));
                }
            }
            for (String object : derived) {
                out.computeIfAbsent(object, k -> new LinkedHashSet<>()).addAll(sources);
            }
        }
        out.replaceAll((k, v) -> Collections.unmodifiableSet(v));
        return Collections.unmodifiableMap(out);
    }

    static Set<String> uncacheableObjects(ParsedStatement statement, String currentDatabase) {
        Set<String> out = new LinkedHashSet<>();
        for (int s = 0; s < count(statement); s++) {
            Definition d = definition(statement, s);
            if (d != null) {
                int name = nameAt(statement, d);
                if (name >= 0 && !cacheable(statement, d, name, currentDatabase)) {
                    out.add(definedName(statement, name, s, currentDatabase));
                }
            } else {
                String altered = alteredUncacheable(statement, s, currentDatabase);
                if (altered != null) {
                    out.add(altered);
                }
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** Whether reads of a defined object (its name at {@code name}) may be cached: its rows and its columns. */
    private static boolean cacheable(ParsedStatement statement, Definition d, int name, String currentDatabase) {
        boolean rows = d.materialized()   // a materialized view's rows are stored when its sources are written
                || (d.view() ? viewCacheable(statement, d, currentDatabase) : engineCacheable(statement, d));
        int as = atDepthZero(statement, d, "as");
        return rows && TableExpressions.ofDefinition(statement, pastName(statement, name, d.statement()),
                as < 0 ? statement.statementTo(d.statement()) : as) == null;
    }

    /**
     * ALTER TABLE [db.]name [ON CLUSTER c] with a command that gives the table an expression its reads evaluate:
     * the table's {@code "database.name"}; null for any other statement.
     */
    private static String alteredUncacheable(ParsedStatement statement, int s, String currentDatabase) {
        int head = firstWord(statement, s);
        if (!isWord(statement, head, "alter") || !isWord(statement, head + 1, "table")) {
            return null;
        }
        int name = head + 2;
        if (isWord(statement, name, "if") && isWord(statement, name + 1, "exists")) {
            name += 2;
        }
        if (!isName(statement.tokens(), name, statement.statementTo(s))) {
            return null;
        }
        int from = pastName(statement, name, s);
        if (isWord(statement, from, "on") && isWord(statement, from + 1, "cluster")) {
            from += 3;
        }
        return TableExpressions.ofAlter(statement, from, statement.statementTo(s), currentDatabase) == null ? null
                : definedName(statement, name, s, currentDatabase);
    }

    /**
     * Where the defined object's name is, read from the tokens (ObjectReferences refuses some definitions whole,
     * such as ENGINE = Merge, and their names still count); -1 when no name follows.
     */
    private static int nameAt(ParsedStatement statement, Definition d) {
        int i = isWord(statement, d.kind(), "view") || isWord(statement, d.kind(), "table") ? d.kind() + 1
                : d.kind() + 2;
        if (isWord(statement, i, "if") && isWord(statement, i + 1, "not") && isWord(statement, i + 2, "exists")) {
            i += 3;
        }
        return isName(statement.tokens(), i, statement.statementTo(d.statement())) ? i : -1;
    }

    /** The index past the name at {@code i}, {@code db.name} or {@code name}, in statement {@code s}. */
    private static int pastName(ParsedStatement statement, int i, int s) {
        Tokens t = statement.tokens();
        int to = statement.statementTo(s);
        return i + 2 < to && t.type(i + 1) == TokenType.DOT && isName(t, i + 2, to) ? i + 3 : i + 1;
    }

    /** The {@code "database.name"} of the name at {@code i} in statement {@code s}, the current database filled in. */
    private static String definedName(ParsedStatement statement, int i, int s, String currentDatabase) {
        return pastName(statement, i, s) == i + 3 ? identifier(statement, i) + "." + identifier(statement, i + 2)
                : currentDatabase + "." + identifier(statement, i);
    }

    private static boolean isName(Tokens t, int i, int to) {
        return i < to && (t.type(i) == TokenType.WORD || t.type(i) == TokenType.QUOTED_IDENTIFIER);
    }

    private static String identifier(ParsedStatement statement, int i) {
        String text = statement.text(i);
        return statement.tokens().type(i) == TokenType.QUOTED_IDENTIFIER ? SqlText.unquoteString(text) : text;
    }

    /** A VIEW runs its SELECT on every read; a LIVE or WINDOW view is live. */
    private static boolean viewCacheable(ParsedStatement statement, Definition d, String currentDatabase) {
        int select = atDepthZero(statement, d, "as");
        if (!isWord(statement, d.kind(), "view") || select < 0) {
            return false;
        }
        Tokens t = statement.tokens();
        String text = statement.sql().substring(t.start(select + 1), t.end(statement.statementTo(d.statement()) - 1));
        return CacheableRead.of(ParsedStatement.of(text), currentDatabase).cacheable();
    }

    /**
     * ENGINE = name decides; without one, AS table_function(...) does; without either the default engine (MergeTree)
     * stores the rows — but AS other copies an engine chgate cannot see, and an unknown engine is not cacheable.
     */
    private static boolean engineCacheable(ParsedStatement statement, Definition d) {
        int engine = atDepthZero(statement, d, "engine");
        if (engine >= 0) {
            int name = statement.tokens().type(engine + 1) == TokenType.EQUALS ? engine + 2 : engine + 1;
            FunctionClass c = word(statement, name) == null ? null : FunctionRegistry.engine(statement.text(name));
            return c != null && c.cacheable();
        }
        int as = atDepthZero(statement, d, "as");
        if (as < 0) {
            return true;
        }
        Tokens t = statement.tokens();
        if (as + 2 < t.size() && word(statement, as + 1) != null && t.type(as + 2) == TokenType.LPAREN) {
            FunctionClass c = FunctionRegistry.tableFunction(statement.text(as + 1));
            return c != null && c.cacheable();
        }
        return isWord(statement, as + 1, "select") || isWord(statement, as + 1, "with")
                || t.type(as + 1) == TokenType.LPAREN;
    }

    /** ENGINE = Buffer(db, table, ...) or Alias(table): reads of it read that table. */
    private static boolean readsTableThrough(ParsedStatement statement, Definition d) {
        int engine = atDepthZero(statement, d, "engine");
        if (engine < 0) {
            return false;
        }
        int name = statement.tokens().type(engine + 1) == TokenType.EQUALS ? engine + 2 : engine + 1;
        return isWord(statement, name, "buffer") || isWord(statement, name, "alias");
    }

    /** CREATE / REPLACE / ATTACH [OR REPLACE] [TEMPORARY]? of a TABLE or a [MATERIALIZED | LIVE | WINDOW] VIEW. */
    private static Definition definition(ParsedStatement statement, int s) {
        int head = firstWord(statement, s);
        String first = word(statement, head);
        if (!"create".equals(first) && !"attach".equals(first) && !"replace".equals(first)) {
            return null;
        }
        int i = head + 1;
        if (isWord(statement, i, "or") && isWord(statement, i + 1, "replace")) {
            i += 2;
        }
        if (isWord(statement, i, "table")) {
            return new Definition(s, head, i, false, false);
        }
        boolean materialized = isWord(statement, i, "materialized");
        boolean view = isWord(statement, i, "view") || (materialized || isWord(statement, i, "live")
                || isWord(statement, i, "window")) && isWord(statement, i + 1, "view");
        return view ? new Definition(s, head, i, true, materialized) : null;
    }

    /** The definition's objects as ObjectReferences reads them; ATTACH of a full definition reads as its CREATE. */
    private static ObjectReferences.Result refs(ParsedStatement statement, Definition d) {
        String text = statement.statementText(d.statement());
        if (isWord(statement, d.head(), "attach")) {   // same length, so the same tokens
            Tokens t = statement.tokens();
            int from = statement.statementFrom(d.statement());
            int at = t.start(d.head()) - (from == 0 ? 0 : t.end(from - 1));
            text = text.substring(0, at) + "CREATE" + text.substring(at + "attach".length());
        }
        return ObjectReferences.of(text);
    }

    /** The first {@code keyword} outside parentheses after the kind word, or -1. */
    private static int atDepthZero(ParsedStatement statement, Definition d, String keyword) {
        Tokens t = statement.tokens();
        int depth = 0;
        for (int i = d.kind(); i + 1 < statement.statementTo(d.statement()); i++) {
            TokenType type = t.type(i);
            depth += type == TokenType.LPAREN ? 1 : type == TokenType.RPAREN ? -1 : 0;
            if (depth == 0 && isWord(statement, i, keyword)) {
                return i;
            }
        }
        return -1;
    }

    private static int count(ParsedStatement statement) {
        try {
            return statement.statementCount();
        } catch (SqlParseException e) {
            return 0;
        }
    }
}
