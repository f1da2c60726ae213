package io.chgate.sql;

/**
 * ClickHouse's token set, lossless: every token keeps its exact span in the source, and whitespace and comments
 * (the only text between tokens) are skipped but never altered, since the rewrite splices into the original string.
 *
 * <p>Hand-written because the job is narrow and hot: one pass, no regular expressions (no backtracking on hostile
 * input), no String per token. Follows ClickHouse's {@code Lexer.cpp} (26.x) token for token, since a boundary drawn
 * differently would let ClickHouse run what chgate read as a string or a comment: strings with backslash escapes and
 * doubled quotes, backtick and double-quoted identifiers, {@code ‘…’} strings and {@code “…”} identifiers (no
 * escapes), heredocs {@code $tag$...$tag$}, {@code $} inside words, {@code --}, {@code //}, {@code # } and nested
 * {@code /* *}{@code /} comments, ClickHouse's own set of Unicode spaces as whitespace, numbers (hex, binary,
 * exponents, underscores; {@code inf} and {@code nan} are words), query parameters {@code {name:Type}}, and every
 * operator. Any other non-ASCII character outside a quoted token is an error to ClickHouse, and to chgate.
 *
 * <p>Brackets nested deeper than ClickHouse's default {@code max_parser_depth} are refused before the statement
 * reaches a server: a deeply nested statement has crashed ClickHouse 18.16.
 */
public final class Lexer {
    static final char LEFT_SINGLE_QUOTE = '\u2018';
    static final char RIGHT_SINGLE_QUOTE = '\u2019';
    static final char LEFT_DOUBLE_QUOTE = '\u201C';
    static final char RIGHT_DOUBLE_QUOTE = '\u201D';
    private static final char MINUS_SIGN = '\u2212';
    /** ClickHouse's default {@code max_parser_depth}. */
    public static final int MAX_DEPTH = 1000;

    /** Texts tokenized on each thread: lets a test prove that a statement is read once (see ParsedStatement). */
    private static final ThreadLocal<long[]> TOKENIZED = ThreadLocal.withInitial(() -> new long[1]);

    private final String sql;
    private final int end;
    private final Tokens tokens;
    private int pos;
    private int depth;

    private Lexer(String sql) {
        this.sql = sql;
        this.end = sql.length();
        this.tokens = new Tokens(Math.max(16, sql.length() / 4));
    }

    /**
     * Whether brackets might nest deeper than {@link #MAX_DEPTH}: a count that ignores quoting, so it can only
     * overestimate; the lexer decides exactly. Cheap enough for every query.
     */
    public static boolean mightBeTooDeep(String sql) {
        int depth = 0;
        for (int i = 0, n = sql.length(); i < n; i++) {
            char c = sql.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                if (++depth > MAX_DEPTH) {
                    return true;
                }
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
        return false;
    }

    /**
     * Tokenizes the whole text; an unterminated string, identifier, comment or heredoc is a parse error. A request's
     * checks get the tokens from its {@link ParsedStatement} instead, which calls this once.
     */
    public static Tokens tokenize(String sql) {
        TOKENIZED.get()[0]++;
        Lexer lexer = new Lexer(sql);
        lexer.run();
        return lexer.tokens;
    }

    /** How many texts this thread has tokenized so far. */
    public static long tokenizationsOnThisThread() {
        return TOKENIZED.get()[0];
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
            if (c == '$' && heredoc()) {
                type = TokenType.HEREDOC;
            } else if (c == '$' && (pos + 1 >= end || !isWordChar(sql.charAt(pos + 1)))) {
                pos++;
                type = TokenType.OPERATOR;   // a lone dollar sign
            } else if (isWordStart(c)) {
                while (pos < end && isWordChar(sql.charAt(pos))) {
                    pos++;
                }
                type = TokenType.WORD;
            } else if (c == LEFT_SINGLE_QUOTE) {
                unicodeQuoted(RIGHT_SINGLE_QUOTE, "string literal");
                type = TokenType.STRING;
            } else if (c == LEFT_DOUBLE_QUOTE) {
                unicodeQuoted(RIGHT_DOUBLE_QUOTE, "quoted identifier");
                type = TokenType.QUOTED_IDENTIFIER;
            } else if (c == MINUS_SIGN) {
                pos++;
                type = TokenType.OPERATOR;
            } else if (c >= 0x80) {
                throw new SqlParseException("unexpected character U+" + String.format("%04X", (int) c)
                        + " outside a quoted string or identifier", pos);
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
            } else if (c == '{') {
                pos++;
                type = TokenType.LBRACE;
            } else {
                type = punctuation(c);
            }
            depth += type == TokenType.LPAREN || type == TokenType.LBRACKET || type == TokenType.LBRACE ? 1
                    : type == TokenType.RPAREN || type == TokenType.RBRACKET || type == TokenType.RBRACE ? -1 : 0;
            if (depth > MAX_DEPTH) {
                throw new SqlParseException.TooDeep(MAX_DEPTH, start);
            }
            tokens.add(type, start, pos);
        }
    }

    /** {@code ‘…’} or {@code “…”}: up to the closing quote, with no escapes (ClickHouse's rule). */
    private void unicodeQuoted(char close, String what) {
        int start = pos;
        int found = sql.indexOf(close, pos + 1);
        if (found < 0) {
            throw new SqlParseException("unterminated " + what, start);
        }
        pos = found + 1;
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

    /**
     * {@code $tag$ ... $tag$}: ClickHouse takes the tag up to the next dollar sign, whatever lies between, and the
     * heredoc up to the same tag again. False (and no progress) when there is no closing tag. A tag that is not a
     * plain word is refused rather than guessed at.
     */
    private boolean heredoc() {
        int tagEnd = sql.indexOf('$', pos + 1);
        if (tagEnd < 0) {
            return false;
        }
        String tag = sql.substring(pos, tagEnd + 1);
        int close = sql.indexOf(tag, tagEnd + 1);
        if (close < 0) {
            return false;
        }
        for (int i = pos + 1; i < tagEnd; i++) {
            char c = sql.charAt(i);
            if (c >= 0x80 || !WORD_CHAR[c]) {
                throw new SqlParseException("a heredoc tag must be a plain word", pos);
            }
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
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B
                    || c >= 0x80 && isUnicodeSpace(c)) {
                pos++;
            } else if (c == '-' && pos + 1 < end && sql.charAt(pos + 1) == '-'
                    || c == '/' && pos + 1 < end && sql.charAt(pos + 1) == '/'
                    || c == '#' && pos + 1 < end && (sql.charAt(pos + 1) == ' ' || sql.charAt(pos + 1) == '!')) {
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
            WORD_START[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$';
            WORD_CHAR[c] = WORD_START[c] || c >= '0' && c <= '9';
        }
    }

    static boolean isWordStart(char c) {
        return c < 0x80 && WORD_START[c];
    }

    /** ASCII letters, digits, underscore and dollar sign: ClickHouse's word characters (no other character is). */
    static boolean isWordChar(char c) {
        return c < 0x80 && WORD_CHAR[c];
    }

    /**
     * The Unicode spaces ClickHouse's lexer skips ({@code skipWhitespacesUTF8}): U+0085, U+00A0, U+180E,
     * U+2000–U+200D, U+2028, U+2029, U+202F, U+205F, U+2060, U+3000, U+FEFF. Every other non-ASCII character outside
     * a quoted token is an error to ClickHouse.
     */
    static boolean isUnicodeSpace(char c) {
        return c == 0x85 || c == 0xA0 || c == 0x180E || c >= 0x2000 && c <= 0x200D || c == 0x2028 || c == 0x2029
                || c == 0x202F || c == 0x205F || c == 0x2060 || c == 0x3000 || c == 0xFEFF;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
