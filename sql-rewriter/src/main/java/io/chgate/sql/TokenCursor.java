package io.chgate.sql;

import java.util.Locale;

/**
 * Reading one statement's tokens {@code [.., to)} by position: keywords, names as ClickHouse names objects, calls.
 * The small vocabulary a token-level reader of statements shares; what it reads them for is the subclass's.
 */
abstract class TokenCursor {
    final String sql;
    final Tokens t;
    final int to;

    TokenCursor(String sql, Tokens t, int to) {
        this.sql = sql;
        this.t = t;
        this.to = to;
    }

    int skipIfNotExists(int i) {
        return isWord(i, "if") && isWord(i + 1, "not") && isWord(i + 2, "exists") ? i + 3 : i;
    }

    int skipIfExists(int i) {
        return isWord(i, "if") && isWord(i + 1, "exists") ? i + 2 : i;
    }

    int skipOnCluster(int i) {
        return isWord(i, "on") && isWord(i + 1, "cluster") ? i + 3 : i;
    }

    int skip(int i, String keyword) {
        return isWord(i, keyword) ? i + 1 : i;
    }

    boolean isName(int i) {
        return i < to && (t.type(i) == TokenType.WORD || t.type(i) == TokenType.QUOTED_IDENTIFIER);
    }

    boolean isCall(int i) {
        return i + 1 < to && t.type(i + 1) == TokenType.LPAREN;
    }

    boolean isWord(int i, String keyword) {
        return i >= 0 && i < to && t.type(i) == TokenType.WORD && t.end(i) - t.start(i) == keyword.length()
                && sql.regionMatches(true, t.start(i), keyword, 0, keyword.length());
    }

    /** The bare word at {@code i} in lower case, or null. */
    String word(int i) {
        return i >= 0 && i < to && t.type(i) == TokenType.WORD ? text(i).toLowerCase(Locale.ROOT) : null;
    }

    /** An identifier as ClickHouse names the object: bare words as written (case-sensitive), quoted ones unquoted. */
    String identifier(int i) {
        return t.type(i) == TokenType.QUOTED_IDENTIFIER ? SqlText.unquoteString(text(i)) : text(i);
    }

    String text(int i) {
        return sql.substring(t.start(i), t.end(i));
    }

    String shown(int i) {
        if (i >= to) {
            return "end of statement";
        }
        String s = text(i);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
