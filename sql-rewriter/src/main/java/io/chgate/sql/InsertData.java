package io.chgate.sql;

/**
 * Where an INSERT's inline data begins, by ClickHouse's own rule ({@code ParserInsertQuery}): after {@code VALUES}
 * the data starts at the next token; after {@code FORMAT name} spaces and tabs and then at most one line break are
 * skipped. The gateway uses it to read only the SQL part of a request body and stream the data on untouched.
 *
 * <p>It scans tokens only as far as it must (strings, quoted identifiers, comments and heredocs cannot fool it) and
 * never backtracks, so it is linear in the text it reads. It has its own small scanner rather than {@link Lexer}
 * because its input is different: a body read so far, which must not be lexed past where the (possibly binary) data
 * begins, and whose truncation means "read more", where the lexer rightly calls it an error.
 */
public final class InsertData {
    /** The statement is complete and carries no inline data (a SELECT, an {@code INSERT ... SELECT}, ...). */
    public static final int NOT_INSERT_DATA = -1;
    /** The text ends before this can be decided; read more and ask again. */
    public static final int NEED_MORE = -2;

    private InsertData() {
    }

    /**
     * @return the offset in {@code text} where the inline data of {@code INSERT ... FORMAT name} or
     *     {@code INSERT ... VALUES} begins, {@link #NOT_INSERT_DATA}, or {@link #NEED_MORE}
     */
    public static int dataStart(CharSequence text) {
        return dataStart(text, null, null);
    }

    /**
     * Whether the text is an {@code INSERT ... VALUES} whose data begins within it (or right at its end): data that
     * ClickHouse parses as SQL expressions, unlike the data of {@code INSERT ... FORMAT name}.
     */
    public static boolean isValuesData(CharSequence text) {
        boolean[] values = new boolean[1];
        return dataStart(text, values, null) >= 0 && values[0];
    }

    /**
     * An INSERT's statement and its inline data, apart: the statement is the text before {@code statementEnd}, where
     * its {@code FORMAT name} or {@code VALUES} begins (the INSERT without its input clause); {@code format} is the
     * input format ({@code Values} for VALUES); the data begins at {@code dataStart}.
     */
    public record Parts(int statementEnd, String format, int dataStart) {
    }

    /** The parts of an INSERT with inline data that begins within the text, or null for any other text. */
    public static Parts parts(String text) {
        boolean[] values = new boolean[1];
        int[] clause = new int[3];
        int start = dataStart(text, values, clause);
        if (start < 0) {
            return null;
        }
        String format = values[0] ? "Values" : text.substring(clause[1], clause[2]);
        if (format.length() > 1 && (format.charAt(0) == '`' || format.charAt(0) == '"')) {
            format = SqlText.unquoteString(format);
        }
        return new Parts(clause[0], format, start);
    }

    private static int dataStart(CharSequence text, boolean[] values, int[] clause) {
        Scanner s = new Scanner(text);
        if (!s.next()) {
            return NEED_MORE;
        }
        if (!s.isWord("INSERT")) {
            return s.incompleteWord() ? NEED_MORE : NOT_INSERT_DATA;
        }
        // INTO [TABLE] [FUNCTION] name: a table may be called "format" or "values", so its name is skipped first.
        boolean nameSeen = false;
        int depth = 0;
        while (s.next()) {
            if (s.incompleteWord()) {
                return NEED_MORE;
            }
            char c = s.first();
            if (c == '(') {
                depth++;
                nameSeen = true;
                continue;
            }
            if (c == ')') {
                depth--;
                continue;
            }
            if (depth > 0) {
                continue;
            }
            if (c == ';') {
                return NOT_INSERT_DATA;
            }
            if (!nameSeen) {
                if (s.isWord("INTO") || s.isWord("TABLE") || s.isWord("FUNCTION")) {
                    continue;
                }
                if (s.isWordOrQuoted()) {
                    nameSeen = true;
                    if (s.peekDot()) {
                        s.next();   // the dot
                        nameSeen = false;
                    }
                    continue;
                }
            }
            if (s.isWord("VALUES")) {
                if (clause != null) {
                    clause[0] = s.start();
                }
                if (values != null) {
                    values[0] = true;
                    if (!s.next()) {
                        return text.length();   // VALUES ends the text: what follows it is data
                    }
                } else if (!s.next()) {
                    return NEED_MORE;
                }
                return s.first() == ';' ? NOT_INSERT_DATA : s.start();
            }
            if (s.isWord("FORMAT")) {
                int keyword = s.start();
                if (!s.next() || s.incompleteWord() || !s.isWordOrQuoted()) {
                    return s.atEnd() || s.incompleteWord() ? NEED_MORE : NOT_INSERT_DATA;
                }
                if (clause != null) {
                    clause[0] = keyword;
                    clause[1] = s.start();
                    clause[2] = s.end();
                }
                return s.dataAfterFormatName();
            }
            if (s.isWord("SELECT") || s.isWord("WITH") || s.isWord("FROM")) {
                return NOT_INSERT_DATA;
            }
        }
        return NEED_MORE;
    }

    /** Just enough of ClickHouse's lexer to step over whole tokens. */
    private static final class Scanner {
        private final CharSequence text;
        private final int end;
        private int start;
        private int pos;
        private boolean incomplete;

        Scanner(CharSequence text) {
            this.text = text;
            this.end = text.length();
        }

        int start() {
            return start;
        }

        int end() {
            return pos;
        }

        char first() {
            return text.charAt(start);
        }

        boolean atEnd() {
            return pos >= end;
        }

        /** A token that runs to the end of the text might continue in the bytes still to come. */
        boolean incompleteWord() {
            return incomplete;
        }

        /** Advances to the next token; false at the end of the text or inside an unterminated token. */
        boolean next() {
            incomplete = false;
            skipTrivia();
            if (pos >= end) {
                return false;
            }
            start = pos;
            char c = text.charAt(pos);
            if (c == '$') {
                return heredocOrDollar();
            }
            int unicodeQuote = unicodeQuoteClose(pos);
            if (unicodeQuote != 0) {
                return unicodeQuoted(unicodeQuote);
            }
            if (isWordChar(c)) {
                while (pos < end && isWordChar(text.charAt(pos))) {
                    pos++;
                }
                incomplete = pos >= end;
                return true;
            }
            if (c == '\'' || c == '"' || c == '`') {
                return quoted(c);
            }
            pos++;
            return true;
        }

        /**
         * ‘ or “ at {@code at}, as one UTF-16 char or as its three UTF-8 bytes (a byte view of a body): the char or
         * last byte that closes it, or 0.
         */
        private int unicodeQuoteClose(int at) {
            char c = text.charAt(at);
            if (c == Lexer.LEFT_SINGLE_QUOTE || c == Lexer.LEFT_DOUBLE_QUOTE) {
                return c + 1;
            }
            if (c == 0xE2 && at + 2 < end && text.charAt(at + 1) == 0x80
                    && (text.charAt(at + 2) == 0x98 || text.charAt(at + 2) == 0x9C)) {
                return text.charAt(at + 2) + 1;
            }
            return 0;
        }

        /** Up to the closing quote, with no escapes; false when it is not in the text yet. */
        private boolean unicodeQuoted(int close) {
            boolean bytes = close < 0x100;
            pos += bytes ? 3 : 1;
            while (pos < end) {
                char c = text.charAt(pos);
                if (!bytes && c == close) {
                    pos++;
                    return true;
                }
                if (bytes && c == 0xE2 && pos + 2 < end && text.charAt(pos + 1) == 0x80 && text.charAt(pos + 2) == close) {
                    pos += 3;
                    return true;
                }
                pos++;
            }
            return false;
        }

        /** The length of a Unicode space ClickHouse skips at {@code at}: one UTF-16 char, or its UTF-8 bytes; or 0. */
        private int unicodeSpace(int at) {
            char c = text.charAt(at);
            if (Lexer.isUnicodeSpace(c) && c != 0x85 && c != 0xA0) {
                return 1;   // as bytes these are never a single Latin-1 char; 0x85 and 0xA0 are handled below
            }
            int b1 = at + 1 < end ? text.charAt(at + 1) : -1;
            int b2 = at + 2 < end ? text.charAt(at + 2) : -1;
            if (c == 0xC2 && (b1 == 0x85 || b1 == 0xA0)) {
                return 2;
            }
            if (c == 0xE1 && b1 == 0xA0 && b2 == 0x8E || c == 0xE3 && b1 == 0x80 && b2 == 0x80
                    || c == 0xEF && b1 == 0xBB && b2 == 0xBF) {
                return 3;
            }
            if (c == 0xE2 && (b1 == 0x80 && (b2 >= 0x80 && b2 <= 0x8D || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)
                    || b1 == 0x81 && (b2 == 0x9F || b2 == 0xA0))) {
                return 3;
            }
            // U+0085 and U+00A0 as UTF-16 chars: a byte view never holds them alone (they follow 0xC2).
            return (c == 0x85 || c == 0xA0) && (at == 0 || text.charAt(at - 1) != 0xC2) ? 1 : 0;
        }

        private boolean quoted(char quote) {
            pos++;
            while (pos < end) {
                char c = text.charAt(pos);
                if (c == '\\') {
                    pos += 2;
                } else if (c == quote) {
                    if (pos + 1 < end && text.charAt(pos + 1) == quote) {
                        pos += 2;
                    } else if (pos + 1 >= end) {
                        // a doubled quote may still be coming: the token is not known to be closed yet
                        pos++;
                        incomplete = true;
                        return true;
                    } else {
                        pos++;
                        return true;
                    }
                } else {
                    pos++;
                }
            }
            pos = end;
            return false;
        }

        /** ClickHouse's rule: the tag runs to the next dollar sign; without a closing tag it is a word or a lone $. */
        private boolean heredocOrDollar() {
            int tagEnd = -1;
            for (int i = pos + 1; i < end; i++) {
                if (text.charAt(i) == '$') {
                    tagEnd = i;
                    break;
                }
            }
            if (tagEnd >= 0) {
                String tag = text.subSequence(pos, tagEnd + 1).toString();
                int close = indexOf(tag, tagEnd + 1);
                if (close >= 0) {
                    pos = close + tag.length();
                    return true;
                }
            }
            // No heredoc in the text so far: it may still close in bytes to come, so read more before deciding.
            pos = end;
            return false;
        }

        private int indexOf(String needle, int from) {
            outer:
            for (int i = from; i + needle.length() <= end; i++) {
                for (int j = 0; j < needle.length(); j++) {
                    if (text.charAt(i + j) != needle.charAt(j)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private void skipTrivia() {
            while (pos < end) {
                char c = text.charAt(pos);
                int space;
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                    pos++;
                } else if (c >= 0x80 && (space = unicodeSpace(pos)) > 0) {
                    pos += space;
                } else if (c == '-' && pos + 1 < end && text.charAt(pos + 1) == '-'
                        || c == '/' && pos + 1 < end && text.charAt(pos + 1) == '/'
                        || c == '#' && (pos + 1 >= end || text.charAt(pos + 1) == ' ' || text.charAt(pos + 1) == '!')) {
                    while (pos < end && text.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (c == '/' && pos + 1 < end && text.charAt(pos + 1) == '*') {
                    int depth = 0;
                    while (pos < end) {
                        if (text.charAt(pos) == '/' && pos + 1 < end && text.charAt(pos + 1) == '*') {
                            depth++;
                            pos += 2;
                        } else if (text.charAt(pos) == '*' && pos + 1 < end && text.charAt(pos + 1) == '/') {
                            depth--;
                            pos += 2;
                            if (depth == 0) {
                                break;
                            }
                        } else {
                            pos++;
                        }
                    }
                } else {
                    return;
                }
            }
        }

        boolean isWord(String keyword) {
            if (pos - start != keyword.length() || !isWordChar(text.charAt(start))) {
                return false;
            }
            for (int i = 0; i < keyword.length(); i++) {
                if (Character.toUpperCase(text.charAt(start + i)) != keyword.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        boolean isWordOrQuoted() {
            char c = text.charAt(start);
            return isWordChar(c) || c == '"' || c == '`';
        }

        boolean peekDot() {
            int save = pos;
            skipTrivia();
            boolean dot = pos < end && text.charAt(pos) == '.';
            pos = save;
            return dot;
        }

        /** The data begins after spaces and tabs and at most one line break that follow the format name. */
        int dataAfterFormatName() {
            int p = pos;
            while (p < end && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
                p++;
            }
            if (p < end && text.charAt(p) == '\r') {
                p++;
            }
            if (p < end && text.charAt(p) == '\n') {
                return p + 1;
            }
            return p >= end ? NEED_MORE : p;
        }

        private static boolean isWordChar(char c) {
            return Lexer.isWordChar(c);
        }
    }
}
