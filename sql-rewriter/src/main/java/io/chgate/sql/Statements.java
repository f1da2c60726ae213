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
     * {@code /* x *\/ (SELECT 1)}); null when it has none or cannot be read.
     */
    public static String firstWord(String sql) {
        Tokens tokens;
        try {
            tokens = Lexer.tokenize(sql);
        } catch (SqlParseException e) {
            return null;
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.type(i) == TokenType.WORD) {
                return sql.substring(tokens.start(i), tokens.end(i)).toLowerCase(java.util.Locale.ROOT);
            }
            if (tokens.type(i) != TokenType.LPAREN) {
                return null;
            }
        }
        return null;
    }

    /** The statements, each with its trailing semicolon; empty ones (only comments or whitespace) are left out. */
    public static List<String> split(String script) {
        Tokens tokens = Lexer.tokenize(script);
        List<String> out = new ArrayList<>();
        int from = 0;
        int tokensSince = 0;
        for (int i = 0; i < tokens.size(); i++) {
            tokensSince++;
            if (tokens.type(i) == TokenType.SEMICOLON) {
                if (tokensSince > 1) {
                    out.add(script.substring(from, tokens.end(i)).strip());
                }
                from = tokens.end(i);
                tokensSince = 0;
            }
        }
        if (tokensSince > 0) {
            out.add(script.substring(from).strip());
        }
        return out;
    }
}
