package io.chgate.sql;

/** Reading and writing ClickHouse literals and identifiers exactly. */
public final class SqlText {
    private SqlText() {
    }

    /** A string literal for this value: quoted, with backslash and quote escaped, so any value stays one literal. */
    public static String quoteString(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\0' -> sb.append("\\0");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    /** An identifier as written in SQL: bare when it is a plain ASCII word, else in backticks with escapes. */
    public static String quoteIdentifier(String name) {
        boolean plain = !name.isEmpty() && !Character.isDigit(name.charAt(0));
        for (int i = 0; plain && i < name.length(); i++) {
            char c = name.charAt(i);
            plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
        }
        if (plain) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length() + 2).append('`');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '`' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('`').toString();
    }

    /**
     * The value of a quoted token ({@code 'x'}, {@code `x`}, {@code "x"}), with ClickHouse's escapes resolved;
     * {@code ‘x’} and {@code “x”} have none.
     */
    public static String unquoteString(String quoted) {
        char quote = quoted.charAt(0);
        if (quote == Lexer.LEFT_SINGLE_QUOTE || quote == Lexer.LEFT_DOUBLE_QUOTE) {
            return quoted.substring(1, quoted.length() - 1);
        }
        int last = quoted.length() - 1;
        StringBuilder sb = new StringBuilder(quoted.length());
        for (int i = 1; i < last; i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < last) {
                char e = quoted.charAt(++i);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '0' -> sb.append('\0');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'a' -> sb.append((char) 7);
                    case 'v' -> sb.append((char) 11);
                    case 'x' -> {
                        if (i + 2 < last && isHex(quoted.charAt(i + 1)) && isHex(quoted.charAt(i + 2))) {
                            sb.append((char) Integer.parseInt(quoted.substring(i + 1, i + 3), 16));
                            i += 2;
                        } else {
                            sb.append(e);
                        }
                    }
                    default -> sb.append(e);
                }
            } else if (c == quote && i + 1 < last && quoted.charAt(i + 1) == quote) {
                sb.append(c);
                i++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
