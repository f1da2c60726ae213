package io.chgate.sql;

import java.util.Locale;

/**
 * One request's SQL text — a statement, or a script of several — read once: its tokens and where its statements
 * begin and end. Every check of the text (the statement policy, the integration databases, the reference finder,
 * the first word) takes this rather than the String, so none of them can lex the text again.
 *
 * <p>The tokens are lexed the first time a check asks for them: the checks run their allocation-free pre-scans on
 * {@link #sql()} first, and text no pre-scan flags is never lexed at all. A text that cannot be read fails every
 * request for its tokens with the same {@link SqlParseException}, without a second try.
 *
 * <p>Not thread-safe: it belongs to one request, whose checks run one after the other.
 */
public final class ParsedStatement {
    private final String sql;
    private Tokens tokens;
    private SqlParseException unreadable;
    /** Token ranges of the non-empty statements: {@code [from, to)} pairs, {@code to} being the semicolon or the end. */
    private int[] statements;

    private ParsedStatement(String sql) {
        this.sql = sql;
    }

    /** The text, not yet lexed. */
    public static ParsedStatement of(String sql) {
        return new ParsedStatement(sql);
    }

    public String sql() {
        return sql;
    }

    /**
     * The tokens of the whole text, lexed on the first call.
     *
     * @throws SqlParseException when the text cannot be read (on every call)
     */
    public Tokens tokens() {
        if (tokens == null) {
            if (unreadable != null) {
                throw unreadable;
            }
            try {
                tokens = Lexer.tokenize(sql);
            } catch (SqlParseException e) {
                unreadable = e;
                throw e;
            }
        }
        return tokens;
    }

    /** The text of one token, exactly as written. */
    public String text(int token) {
        Tokens t = tokens();
        return sql.substring(t.start(token), t.end(token));
    }

    /** How many statements the text holds; empty ones (only comments, whitespace or a lone semicolon) do not count. */
    public int statementCount() {
        return boundaries().length / 2;
    }

    /** The index of the statement's first token. */
    public int statementFrom(int statement) {
        return boundaries()[2 * statement];
    }

    /** The index just past the statement's last token: its semicolon, or the number of tokens. */
    public int statementTo(int statement) {
        return boundaries()[2 * statement + 1];
    }

    /**
     * The statement's text from just after the semicolon before it to its own semicolon (included), so comments
     * before it belong to it; not stripped.
     */
    public String statementText(int statement) {
        Tokens t = tokens();
        int from = statementFrom(statement);
        int to = statementTo(statement);
        return sql.substring(from == 0 ? 0 : t.end(from - 1), to < t.size() ? t.end(to) : sql.length());
    }

    /**
     * The text's first word in lower case, past comments and opening parentheses ({@code select} for
     * {@code /* x *\/ (SELECT 1)}); null when it has none or cannot be read.
     */
    public String firstWord() {
        Tokens t;
        try {
            t = tokens();
        } catch (SqlParseException e) {
            return null;
        }
        for (int i = 0; i < t.size(); i++) {
            if (t.type(i) == TokenType.WORD) {
                return text(i).toLowerCase(Locale.ROOT);
            }
            if (t.type(i) != TokenType.LPAREN) {
                return null;
            }
        }
        return null;
    }

    private int[] boundaries() {
        if (statements == null) {
            Tokens t = tokens();
            int[] found = new int[8];
            int n = 0;
            int from = 0;
            for (int i = 0; i <= t.size(); i++) {
                if (i < t.size() && t.type(i) != TokenType.SEMICOLON) {
                    continue;
                }
                if (i > from) {
                    if (n == found.length) {
                        found = java.util.Arrays.copyOf(found, n * 2);
                    }
                    found[n++] = from;
                    found[n++] = i;
                }
                from = i + 1;
            }
            statements = java.util.Arrays.copyOf(found, n);
        }
        return statements;
    }
}
