package io.chgate.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits a script into its statements at top-level semicolons (those in strings or comments do not count). */
public final class Statements {
    /** First words of statements that only read: running one twice changes nothing. */
    private static final Set<String> READ_ONLY = Set.of("select", "with", "show", "describe", "desc", "exists",
            "explain");

    private Statements() {
    }

    /**
     * Whether the statement only reads, judged by its first word ({@code SELECT}, {@code WITH}, {@code SHOW},
     * {@code DESCRIBE}, {@code EXISTS}, {@code EXPLAIN}); false when it cannot be read.
     */
    public static boolean isReadOnly(String sql) {
        String kind = firstWord(sql);
        return kind != null && READ_ONLY.contains(kind);
    }

    /**
     * The statement's first word in lower case, past comments and opening parentheses ({@code select} for
     * {@code /* x *\/ (SELECT 1)}); null when it has none or cannot be read. A check that has the request's
     * {@link ParsedStatement} asks it instead.
     */
    public static String firstWord(String sql) {
        return ParsedStatement.of(sql).firstWord();
    }

    /** The statements, each with its trailing semicolon; empty ones (only comments or whitespace) are left out. */
    public static List<String> split(String script) {
        ParsedStatement parsed = ParsedStatement.of(script);
        List<String> out = new ArrayList<>(parsed.statementCount());
        for (int s = 0; s < parsed.statementCount(); s++) {
            out.add(parsed.statementText(s).strip());
        }
        return out;
    }
}
