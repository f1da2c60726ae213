package io.chgate.gateway.embedded;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.sql.Lexer;
import io.chgate.sql.SqlParseException;
import io.chgate.sql.SqlText;
import io.chgate.sql.StatementPolicy;
import io.chgate.sql.TokenType;
import io.chgate.sql.Tokens;

/** What the engine's front needs to know of a statement's text before the engine runs it. */
final class EngineStatements {
    private EngineStatements() {
    }

    /**
     * The error ClickHouse's server would answer before running anything, or null: a text that does not lex, more
     * than one statement, a temporary table outside a session, and — the engine's second wall — what the gateway's
     * statement policy refuses, for anything but chgate's admin login.
     */
    static ClickHouseError refusal(String sql, boolean inSession, boolean admin) {
        Tokens t;
        try {
            t = Lexer.tokenize(sql);
        } catch (SqlParseException e) {
            return new ClickHouseError(ErrorCode.SYNTAX_ERROR, "Syntax error: " + e.getMessage());
        }
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.type(i) == TokenType.SEMICOLON) {
                return new ClickHouseError(ErrorCode.SYNTAX_ERROR, "Syntax error (Multi-statements are not allowed):"
                        + " failed at position " + (t.start(i) + 1));
            }
        }
        // The engine runs every statement as one all-powerful user, so what the gateway's policy refuses is refused
        // here too. chgate's own admin work goes to the embedded engine on its own channel, never through this port.
        String refusal = admin ? null : StatementPolicy.refusal(sql);
        if (refusal != null) {
            return new ClickHouseError(ErrorCode.ACCESS_DENIED, refusal);
        }
        if (!inSession && t.size() >= 2 && isWord(sql, t, 0, "CREATE") && (isWord(sql, t, 1, "TEMPORARY")
                || t.size() >= 4 && isWord(sql, t, 1, "OR") && isWord(sql, t, 3, "TEMPORARY"))) {
            return new ClickHouseError(ErrorCode.NOT_IMPLEMENTED, "temporary tables live in a session: send a"
                    + " session_id");
        }
        return null;
    }

    /** The database a {@code USE} statement makes current, or null for any other statement. */
    static String usedDatabase(String sql) {
        try {
            Tokens t = Lexer.tokenize(sql);
            if (t.size() >= 2 && isWord(sql, t, 0, "USE")) {
                String name = sql.substring(t.start(1), t.end(1));
                return t.type(1) == TokenType.QUOTED_IDENTIFIER ? SqlText.unquoteString(name) : name;
            }
        } catch (SqlParseException e) {
            // not a USE the engine will run either
        }
        return null;
    }

    /** {@code SET ...} (but not a parameterless statement) or {@code USE db}: state of a session. */
    static boolean isSessionState(String sql) {
        try {
            Tokens t = Lexer.tokenize(sql);
            return t.size() > 1 && (isWord(sql, t, 0, "SET") || isWord(sql, t, 0, "USE"));
        } catch (SqlParseException e) {
            return false;
        }
    }

    /** The output format: a trailing {@code FORMAT name} of the statement wins over {@code default_format}. */
    static String formatInEffect(String sql, String defaultFormat) {
        try {
            Tokens t = Lexer.tokenize(sql);
            int depth = 0;
            String found = null;
            for (int i = 0; i < t.size(); i++) {
                TokenType type = t.type(i);
                if (type == TokenType.LPAREN) {
                    depth++;
                } else if (type == TokenType.RPAREN) {
                    depth--;
                } else if (depth == 0 && i + 1 < t.size() && isWord(sql, t, i, "FORMAT")) {
                    if (isWord(sql, t, 0, "INSERT")) {
                        return defaultFormat;   // an INSERT's FORMAT names its input, not its output
                    }
                    found = sql.substring(t.start(i + 1), t.end(i + 1));
                }
            }
            return found == null ? defaultFormat : found;
        } catch (RuntimeException e) {
            return defaultFormat;
        }
    }

    private static boolean isWord(String sql, Tokens t, int i, String word) {
        return t.type(i) == TokenType.WORD && t.end(i) - t.start(i) == word.length()
                && sql.regionMatches(true, t.start(i), word, 0, word.length());
    }
}
