package io.chgate.sql;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the response cache asks of one statement's tokens besides its objects: is it a read-only kind, does it write
 * a file, and does any function, table function or bare name in it read the time, randomness, live rows or the
 * server's state — or is it a name the {@link FunctionRegistry} does not know. The first reason found is kept.
 */
final class ReadScan extends TokenCursor {
    /** Words that stand before a parenthesis without calling anything: clauses, operators, constructs. */
    private static final Set<String> NOT_CALLS = Set.of("as", "over", "from", "join", "using", "on", "where",
            "prewhere", "having", "select", "by", "exists", "all", "some", "union", "except", "intersect",
            "distinct", "with", "window", "qualify", "limit", "offset", "when", "then", "else", "case", "between",
            "is", "columns", "apply", "filter", "interval", "global", "to", "step", "fill", "interpolate", "lambda",
            "grouping", "rollup", "cube", "sets", "top", "sample", "recursive", "describe", "desc", "table",
            "final", "array", "and", "or", "not", "in", "like", "ilike", "values", "settings", "format", "into",
            "returning", "exclude", "nulls", "ties", "totals", "partition", "rows", "range", "groups");

    /** Functions whose first argument is an aggregate function's name, as a string: {@code arrayReduce('uniq', a)}. */
    private static final Set<String> AGGREGATE_NAMED_BY_STRING = Set.of("arrayReduce", "arrayReduceInRanges",
            "initializeAggregation");

    private final int from;
    String refusal;
    /** The functions and table functions called (bare ones too), as written. */
    final Set<String> called = new LinkedHashSet<>();

    ReadScan(String sql, Tokens t, int from, int to) {
        super(sql, t, to);
        this.from = from;
    }

    /** Scans the statement; {@link #refusal} is null when nothing in it stops caching its answer. */
    ReadScan run() {
        kind();
        return expression();
    }

    /**
     * Scans the tokens as an expression, whatever the statement's kind (a column's DEFAULT in a definition):
     * {@link #refusal} is null when it calls only known functions deterministic for the cache's key.
     */
    ReadScan expression() {
        for (int i = from; i < to && refusal == null; i++) {
            TokenType type = t.type(i);
            if (type == TokenType.LBRACE) {
                identifierParameter(i);
                continue;
            }
            if (type != TokenType.WORD && type != TokenType.QUOTED_IDENTIFIER) {
                continue;
            }
            if (isWord(i, "into") && isWord(i + 1, "outfile")) {
                refusal = "INTO OUTFILE writes a file";
            } else if (isWord(i, "use_query_cache") || isWord(i, "enable_reads_from_query_cache")) {
                refusal = "the server's own query cache may answer from before a write chgate saw";
            } else if (isCall(i)) {
                call(i);
            } else {
                bare(i);
            }
        }
        return this;
    }

    private void kind() {
        int first = from;
        while (first < to && t.type(first) == TokenType.LPAREN) {
            first++;
        }
        String head = word(first);
        if (head == null) {
            refusal = "not a read-only statement";
            return;
        }
        switch (head) {
            case "select", "with" -> { }
            case "describe", "desc", "exists" -> {
                if (isWord(first + 1, "temporary")) {
                    refusal = "a temporary table is session state";
                }
            }
            case "show" -> show(first + 1);
            default -> refusal = head.toUpperCase(Locale.ROOT) + " is not a read-only statement the cache keeps";
        }
    }

    /** SHOW CREATE of a table, view or dictionary, and SHOW COLUMNS / INDEX of a table; other SHOWs list live state. */
    private void show(int i) {
        if (isWord(i, "create") && (isWord(i + 1, "table") || isWord(i + 1, "view") || isWord(i + 1, "dictionary"))) {
            return;
        }
        int j = skip(skip(i, "extended"), "full");
        if ((isWord(j, "columns") || isWord(j, "fields") || isWord(j, "index") || isWord(j, "indexes")
                || isWord(j, "keys")) && (isWord(j + 1, "from") || isWord(j + 1, "in"))) {
            return;
        }
        refusal = "SHOW " + (word(i) == null ? "..." : text(i)) + " lists the server's live state";
    }

    private void call(int i) {
        String name = identifier(i);
        if (i > from && t.type(i - 1) == TokenType.DOT) {
            refusal = "a qualified call " + shown(i) + "() is not one the cache can class";
            return;
        }
        FunctionClass function = FunctionRegistry.function(name);
        FunctionClass table = FunctionRegistry.tableFunction(name);
        if (function == null && table == null) {
            if (t.type(i) == TokenType.WORD && NOT_CALLS.contains(name.toLowerCase(Locale.ROOT))
                    || FunctionRegistry.isType(name)) {
                return;
            }
            refusal = "unknown function " + name + "()";
            return;
        }
        if (function != null && !function.cacheable()) {
            refusal = name + "() is non-deterministic";
        } else if (table != null && !table.cacheable()) {
            refusal = name + "() reads live rows";
        } else if (AGGREGATE_NAMED_BY_STRING.contains(name)) {
            namedAggregate(i + 2);
        }
        called.add(name);
    }

    /** {@code arrayReduce('quantile(0.5)', ...)}: the aggregate named by the string, parameters stripped. */
    private void namedAggregate(int i) {
        if (i >= to || t.type(i) != TokenType.STRING) {
            refusal = "an aggregate function named by an expression cannot be classed";
            return;
        }
        String name = SqlText.unquoteString(text(i)).strip();
        int paren = name.indexOf('(');
        name = (paren < 0 ? name : name.substring(0, paren)).strip();
        FunctionClass c = FunctionRegistry.function(name);
        if (c == null || !c.cacheable()) {
            refusal = "the aggregate function a string names is " + (c == null ? "unknown" : "non-deterministic");
        }
    }

    /**
     * {@code {name:Identifier}}: its value, not in the text, may name a column or a function ClickHouse calls bare
     * ({@code now}); parameters of other types are values, and the gateway puts them in the key.
     */
    private void identifierParameter(int i) {
        for (int j = i + 1; j < to && t.type(j) != TokenType.RBRACE; j++) {
            if (isWord(j, "identifier")) {
                refusal = "a query parameter of type Identifier names what the statement reads";
                return;
            }
        }
    }

    /** A word ClickHouse 26 calls when no column is so named: {@code SELECT now}, {@code CURRENT_TIMESTAMP}. */
    private void bare(int i) {
        if (i > from && (t.type(i - 1) == TokenType.DOT || t.type(i - 1) == TokenType.LBRACE || isWord(i - 1, "as"))
                || i + 1 < to && t.type(i + 1) == TokenType.DOT) {
            return;   // a qualified column, a parameter's name, an alias being defined
        }
        FunctionClass c = FunctionRegistry.bare(identifier(i));
        if (c != null && !c.cacheable()) {
            refusal = shown(i) + " (without parentheses) calls a non-deterministic function";
        } else if (c != null) {
            called.add(identifier(i));
        }
    }
}
