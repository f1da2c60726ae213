package io.chgate.sql;

/**
 * The one pass over a query that decides whether it needs the full parse: exactly
 * {@code SqlRewriter.mightReference(sql) || StatementPolicy.mightRefuse(sql) || Lexer.mightBeTooDeep(sql)}, in one
 * walk instead of three (a property test holds it to that). Allocates nothing.
 *
 * <p>Written by hand because it is the gateway's per-query cost for text it has not seen before: each character is
 * classified once through a table, words are delimited as the trigger check delimits them (ASCII letters and '_',
 * which also bound every "engine"), and the look back for a reference runs only at a '('.
 */
public final class Prescan {
    private static final byte OTHER = 0;
    private static final byte LETTER = 1;
    private static final byte OPEN = 2;
    private static final byte PAREN = 3;
    private static final byte CLOSE = 4;
    private static final byte[] CLASS = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            CLASS[c] = StatementPolicy.isTriggerChar(c) ? LETTER : OTHER;
        }
        CLASS['['] = OPEN;
        CLASS['{'] = OPEN;
        CLASS['('] = PAREN;
        CLASS[')'] = CLOSE;
        CLASS[']'] = CLOSE;
        CLASS['}'] = CLOSE;
    }

    private Prescan() {
    }

    /** Whether the text might hold a reference, a statement the policy refuses, or nesting too deep to lex. */
    public static boolean mightNeedParse(String sql) {
        int n = sql.length();
        int depth = 0;
        int wordStart = -1;
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            byte kind = c < 128 ? CLASS[c] : OTHER;
            if (kind == LETTER) {
                if (wordStart < 0) {
                    wordStart = i;
                }
                continue;
            }
            if (wordStart >= 0) {
                if (wordMightNeedParse(sql, wordStart, i)) {
                    return true;
                }
                wordStart = -1;
            }
            if (kind == PAREN) {
                if (++depth > Lexer.MAX_DEPTH || SqlRewriter.mightReferenceAt(sql, i)) {
                    return true;
                }
            } else if (kind == OPEN) {
                if (++depth > Lexer.MAX_DEPTH) {
                    return true;
                }
            } else if (kind == CLOSE && depth > 0) {
                depth--;
            }
        }
        return wordStart >= 0 && wordMightNeedParse(sql, wordStart, n);
    }

    /** A trigger word of the statement policy, or a word holding "engine" (an engine clause may follow). */
    private static boolean wordMightNeedParse(String sql, int start, int end) {
        int length = end - start;
        if (length <= StatementPolicy.LONGEST_TRIGGER && StatementPolicy.isTrigger(sql, start, length)) {
            return true;
        }
        for (int j = start; j <= end - 6; j++) {
            if ((sql.charAt(j) | 0x20) == 'e' && sql.regionMatches(true, j, "engine", 0, 6)) {
                return true;
            }
        }
        return false;
    }
}
