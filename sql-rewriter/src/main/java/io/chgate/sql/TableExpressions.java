package io.chgate.sql;

import java.util.BitSet;
import java.util.Locale;
import java.util.Set;

/**
 * Expressions a table keeps in its definition and ClickHouse evaluates after its rows were written, which no read's
 * text shows: a column's ALIAS (on every read), DEFAULT and MATERIALIZED (on reads of parts written before an ALTER
 * added the column), EPHEMERAL; and, to be simple and safe, its TTL, keys, indexes and projections. Reads of a table
 * may not be cached when its columns or clauses call a non-deterministic function ({@code now()}, or bare:
 * {@code ALIAS now}), or when a column's expression calls a function the {@link FunctionRegistry} does not know or
 * reads another object (a dictionary, a Join table, {@code IN table}) whose writes would not make the reads stale.
 */
final class TableExpressions extends TokenCursor {
    /** Words that open a column's expression. */
    private static final Set<String> EXPRESSION_KINDS = Set.of("default", "materialized", "alias", "ephemeral");
    /** Words that may follow a column's expression in its declaration. */
    private static final Set<String> AFTER_EXPRESSION = Set.of("codec", "ttl", "comment", "settings", "statistics",
            "primary", "first", "after", "remove", "modify");
    /** Words that open a definition's clauses: its column list, if any, comes before them. */
    private static final Set<String> CLAUSES = Set.of("engine", "as", "order", "partition", "primary", "sample",
            "ttl", "settings", "comment", "empty", "clone");
    /** ALTER commands whose expressions are evaluated once, when they run, and their results stored. */
    private static final Set<String> RUN_ONCE = Set.of("update", "delete", "drop", "detach", "attach", "freeze",
            "unfreeze", "move", "replace", "fetch", "clear", "materialize", "rename", "comment", "remove", "apply",
            "reset");

    private TableExpressions(ParsedStatement statement, int to) {
        super(statement.sql(), statement.tokens(), to);
    }

    /**
     * Why the columns and clauses of a definition, its tokens {@code [from, to)} past its name and before its
     * {@code AS}, make reads of it uncacheable; null when they do not.
     */
    static String ofDefinition(ParsedStatement statement, int from, int to) {
        return new TableExpressions(statement, to).definition(from);
    }

    /**
     * Why the commands of an ALTER TABLE, from {@code from} (past the table's name) to the statement's end
     * {@code to}, make reads of the table uncacheable; null when they do not.
     */
    static String ofAlter(ParsedStatement statement, int from, int to, String currentDatabase) {
        return new TableExpressions(statement, to).alter(from, currentDatabase);
    }

    private String definition(int from) {
        int list = columnList(from);
        int close = list < 0 ? -1 : next(list + 1, true);
        BitSet names = new BitSet();
        for (int e = list + 1; list >= 0 && e < close; e = next(e, false) + 1) {
            names.set(e);   // a column's name, which may be a function's (a column named now)
            String reason = column(e, next(e, false));
            if (reason != null) {
                return reason;
            }
        }
        return nonDeterministic(from, to, names);
    }

    /** The column list's parenthesis: the first at depth 0 before the definition's clauses; -1 when it has none. */
    private int columnList(int from) {
        for (int i = from; i < to; i++) {
            if (t.type(i) == TokenType.LPAREN) {
                return i;
            }
            String w = word(i);
            if (w != null && CLAUSES.contains(w)) {
                return -1;
            }
        }
        return -1;
    }

    private String alter(int from, String currentDatabase) {
        boolean updating = false;
        for (int c = from; c < to; c = next(c, false) + 1) {
            int end = next(c, false);
            if (updating && c + 1 < end && t.type(c + 1) == TokenType.EQUALS) {
                continue;   // UPDATE a = 1, b = now(): the next assignment, run once too
            }
            String head = word(c);
            updating = "update".equals(head);
            if ("modify".equals(head) && isWord(c + 1, "query")) {
                return query(c + 2, currentDatabase);   // the SELECT runs to the statement's end, commas and all
            }
            String reason = head != null && RUN_ONCE.contains(head) ? null : command(c, end, head);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    /** ADD / MODIFY / ALTER COLUMN, or any other command that may keep an expression (TTL, ORDER BY, INDEX, ...). */
    private String command(int c, int end, String head) {
        BitSet names = new BitSet();
        if (("add".equals(head) || "modify".equals(head) || "alter".equals(head)) && isWord(c + 1, "column")) {
            int name = skipIfExists(skipIfNotExists(c + 2));
            names.set(name);
            String reason = name < end ? column(name, end) : null;
            if (reason != null) {
                return reason;
            }
        }
        return nonDeterministic(c, end, names);
    }

    /** MODIFY QUERY of a view: its SELECT then runs on every read (a materialized view's is judged as strictly). */
    private String query(int from, String currentDatabase) {
        if (from >= to) {
            return "MODIFY QUERY without a query";
        }
        CacheableRead.Verdict v = CacheableRead.of(ParsedStatement.of(sql.substring(t.start(from), t.end(to - 1))),
                currentDatabase);
        return v.cacheable() ? null : "its new query: " + v.reason();
    }

    /** A column's declaration {@code [name, end)}: its expression, if it has one, must be cacheable. */
    private String column(int name, int end) {
        int depth = 0;
        for (int i = name + 1; i < end; i++) {
            depth += depth(i);
            String w = depth == 0 ? word(i) : null;
            if (w != null && EXPRESSION_KINDS.contains(w)) {
                int stop = i + 1;
                while (stop < end && !(depth == 0 && AFTER_EXPRESSION.contains(String.valueOf(word(stop))))) {
                    depth += depth(stop++);
                }
                return expression(i + 1, stop, w.toUpperCase(Locale.ROOT));
            }
        }
        return null;
    }

    private String expression(int from, int end, String kind) {
        ReadScan scan = new ReadScan(sql, t, from, end).expression();
        if (scan.refusal != null) {
            return kind + " expression: " + scan.refusal;
        }
        for (String name : scan.called) {
            if (ObjectCollector.namesObject(name.toLowerCase(Locale.ROOT))) {
                return kind + " expression: " + name + "() reads an object reads of the table do not name";
            }
        }
        for (int i = from; i < end; i++) {
            if (isWord(i, "select") || isWord(i, "in") && i + 1 < end && isName(i + 1) && !isCall(i + 1)) {
                return kind + " expression reads another table";
            }
        }
        return null;
    }

    /** The first call or bare name of a non-deterministic function in {@code [from, end)}, names excepted. */
    private String nonDeterministic(int from, int end, BitSet names) {
        for (int i = from; i < end; i++) {
            if (names.get(i) || t.type(i) != TokenType.WORD && t.type(i) != TokenType.QUOTED_IDENTIFIER
                    || i > 0 && (t.type(i - 1) == TokenType.DOT || isWord(i - 1, "as"))
                    || i + 1 < end && t.type(i + 1) == TokenType.DOT) {
                continue;
            }
            boolean call = isCall(i);
            FunctionClass c = call ? FunctionRegistry.function(identifier(i)) : FunctionRegistry.bare(identifier(i));
            if (c != null && !c.cacheable()) {
                return shown(i) + (call ? "()" : " (without parentheses)") + " is non-deterministic";
            }
        }
        return null;
    }

    /**
     * From {@code i}, the parenthesis that closes the one it is in, or the next comma at its depth first unless
     * {@code close}; {@link #to} when there is neither.
     */
    private int next(int i, boolean close) {
        int depth = 0;
        for (; i < to; i++) {
            if (depth == 0 && (t.type(i) == TokenType.RPAREN || !close && t.type(i) == TokenType.COMMA)) {
                return i;
            }
            depth += depth(i);
        }
        return to;
    }

    private int depth(int i) {
        return t.type(i) == TokenType.LPAREN ? 1 : t.type(i) == TokenType.RPAREN ? -1 : 0;
    }
}
