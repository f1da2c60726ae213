package io.chgate.sql;

/**
 * ClickHouse's token set, lossless: every token keeps its exact span in the source, and whitespace and comments
 * (the only text between tokens) are skipped but never altered, since the rewrite splices into the original string.
 *
 * <p>Hand-written because the job is narrow and hot: one pass, no regular expressions (no backtracking on hostile
 * input), no String per token. Follows ClickHouse's {@code Lexer.cpp}: strings with backslash escapes and doubled
 * quotes, backtick and double-quoted identifiers, heredocs {@code $tag$...$tag$}, {@code --}, {@code #} and nested
 * {@code /* *}{@code /} comments, numbers (hex, binary, exponents, underscores; {@code inf} and {@code nan} are
 * words), query parameters {@code {name:Type}}, and every operator.
 */
public final class Lexer {
    private final String sql;
    private final int end;
    private final Tokens tokens;
    private int pos;

    private Lexer(String sql) {
        this.sql = sql;
        this.end = sql.length();
        this.tokens = new Tokens(Math.max(16, sql.length() / 4));
    }

    /** Tokenizes the whole text; an unterminated string, identifier, comment or heredoc is a parse error. */
    public static Tokens tokenize(String sql) {
        Lexer lexer = new Lexer(sql);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (true) {
            skipTrivia();
            if (pos >= end) {
                return;
            }
            int start = pos;
            char c = sql.charAt(pos);
            TokenType type;
            if (isWordStart(c)) {
                while (pos < end && isWordChar(sql.charAt(pos))) {
                    pos++;
                }
                type = TokenType.WORD;
            } else if (c >= '0' && c <= '9' || c == '.' && pos + 1 < end && isDigit(sql.charAt(pos + 1))
                    && !previousIsDotTarget()) {
                number();
                type = TokenType.NUMBER;
            } else if (c == '\'') {
                quoted('\'', "string literal");
                type = TokenType.STRING;
            } else if (c == '`' || c == '"') {
                quoted(c, "quoted identifier");
                type = TokenType.QUOTED_IDENTIFIER;
            } else if (c == '$' && heredoc()) {
                type = TokenType.HEREDOC;
            } else if (c == '{') {
                pos++;
                type = TokenType.LBRACE;
            } else {
                type = punctuation(c);
            }
            tokens.add(type, start, pos);
        }
    }

    /** A dot right after a word, quoted identifier or bracket is member access ({@code t.1}), not a number. */
    private boolean previousIsDotTarget() {
        int n = tokens.size();
        if (n == 0 || tokens.end(n - 1) != pos) {
            return false;
        }
        TokenType t = tokens.type(n - 1);
        return t == TokenType.WORD || t == TokenType.QUOTED_IDENTIFIER || t == TokenType.RPAREN
                || t == TokenType.RBRACKET;
    }

    private void number() {
        char c = sql.charAt(pos);
        if (c == '0' && pos + 1 < end && (sql.charAt(pos + 1) == 'x' || sql.charAt(pos + 1) == 'X'
                || sql.charAt(pos + 1) == 'b' || sql.charAt(pos + 1) == 'B')) {
            pos += 2;
            while (pos < end && (isHexDigit(sql.charAt(pos)) || sql.charAt(pos) == '_')) {
                pos++;
            }
        } else {
            while (pos < end && (isDigit(sql.charAt(pos)) || sql.charAt(pos) == '_')) {
                pos++;
            }
            if (pos < end && sql.charAt(pos) == '.') {
                pos++;
                while (pos < end && (isDigit(sql.charAt(pos)) || sql.charAt(pos) == '_')) {
                    pos++;
                }
            }
            if (pos < end && (sql.charAt(pos) == 'e' || sql.charAt(pos) == 'E')) {
                int save = pos++;
                if (pos < end && (sql.charAt(pos) == '+' || sql.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos < end && isDigit(sql.charAt(pos))) {
                    while (pos < end && isDigit(sql.charAt(pos))) {
                        pos++;
                    }
                } else {
                    pos = save;
                }
            }
        }
        // ClickHouse reads "123abc" as one bad token; keep it one token so spans stay honest.
        while (pos < end && isWordChar(sql.charAt(pos))) {
            pos++;
        }
    }

    private void quoted(char quote, String what) {
        int start = pos++;
        while (pos < end) {
            char c = sql.charAt(pos);
            if (c == '\\') {
                pos += 2;
            } else if (c == quote) {
                if (pos + 1 < end && sql.charAt(pos + 1) == quote) {
                    pos += 2;
                } else {
                    pos++;
                    return;
                }
            } else {
                pos++;
            }
        }
        throw new SqlParseException("unterminated " + what, start);
    }

    /** {@code $tag$ ... $tag$}; false (and no progress) when the dollar does not open a heredoc. */
    private boolean heredoc() {
        int tagEnd = pos + 1;
        while (tagEnd < end && isWordChar(sql.charAt(tagEnd)) && sql.charAt(tagEnd) != '$') {
            tagEnd++;
        }
        if (tagEnd >= end || sql.charAt(tagEnd) != '$') {
            return false;
        }
        String tag = sql.substring(pos, tagEnd + 1);
        int close = sql.indexOf(tag, tagEnd + 1);
        if (close < 0) {
            throw new SqlParseException("unterminated heredoc " + tag, pos);
        }
        pos = close + tag.length();
        return true;
    }

    private TokenType punctuation(char c) {
        char next = pos + 1 < end ? sql.charAt(pos + 1) : '\0';
        char third = pos + 2 < end ? sql.charAt(pos + 2) : '\0';
        pos++;
        switch (c) {
            case '(':
                return TokenType.LPAREN;
            case ')':
                return TokenType.RPAREN;
            case '[':
                return TokenType.LBRACKET;
            case ']':
                return TokenType.RBRACKET;
            case '}':
                return TokenType.RBRACE;
            case ',':
                return TokenType.COMMA;
            case ';':
                return TokenType.SEMICOLON;
            case '.':
                return TokenType.DOT;
            case '=':
                if (next == '=') {
                    pos++;
                    return TokenType.OPERATOR;
                }
                return TokenType.EQUALS;
            case '<':
                if (next == '=' && third == '>') {
                    pos += 2;
                } else if (next == '=' || next == '>') {
                    pos++;
                }
                return TokenType.OPERATOR;
            case '>':
            case '!':
                if (next == '=') {
                    pos++;
                }
                return TokenType.OPERATOR;
            case '-':
                if (next == '>') {
                    pos++;
                }
                return TokenType.OPERATOR;
            case '|':
                if (next == '|') {
                    pos++;
                }
                return TokenType.OPERATOR;
            case ':':
                if (next == ':') {
                    pos++;
                }
                return TokenType.OPERATOR;
            case '+': case '*': case '/': case '%': case '?': case '^': case '&': case '~': case '@': case '$':
            case '\\':
                return TokenType.OPERATOR;
            default:
                throw new SqlParseException("unexpected character '" + c + "'", pos - 1);
        }
    }

    private void skipTrivia() {
        while (pos < end) {
            char c = sql.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                pos++;
            } else if (c == '-' && pos + 1 < end && sql.charAt(pos + 1) == '-'
                    || c == '#' && (pos + 1 >= end || sql.charAt(pos + 1) == ' ' || sql.charAt(pos + 1) == '!')) {
                int newline = sql.indexOf('\n', pos);
                pos = newline < 0 ? end : newline + 1;
            } else if (c == '/' && pos + 1 < end && sql.charAt(pos + 1) == '*') {
                int start = pos;
                int depth = 0;
                do {
                    if (pos + 1 >= end) {
                        throw new SqlParseException("unterminated comment", start);
                    }
                    if (sql.charAt(pos) == '/' && sql.charAt(pos + 1) == '*') {
                        depth++;
                        pos += 2;
                    } else if (sql.charAt(pos) == '*' && sql.charAt(pos + 1) == '/') {
                        depth--;
                        pos += 2;
                    } else {
                        pos++;
                    }
                } while (depth > 0);
            } else {
                return;
            }
        }
    }

    private static final boolean[] WORD_START = new boolean[128];
    private static final boolean[] WORD_CHAR = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            WORD_START[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
            WORD_CHAR[c] = WORD_START[c] || c >= '0' && c <= '9';
        }
    }

    static boolean isWordStart(char c) {
        return c >= 0x80 || WORD_START[c];
    }

    static boolean isWordChar(char c) {
        return c >= 0x80 || WORD_CHAR[c];
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
