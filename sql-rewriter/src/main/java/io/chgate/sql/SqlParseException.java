package io.chgate.sql;

/**
 * The text cannot be read as ClickHouse SQL. The message names the problem and the offset, never quotes the text
 * (it may hold a password).
 */
public class SqlParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public SqlParseException(String problem, int offset) {
        super(problem + " at offset " + offset, null, false, false);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }

    /** Brackets nested deeper than ClickHouse's default {@code max_parser_depth}. */
    public static final class TooDeep extends SqlParseException {
        private static final long serialVersionUID = 1L;

        public TooDeep(int limit, int offset) {
            super("brackets nested deeper than " + limit + " levels (ClickHouse's max_parser_depth)", offset);
        }
    }
}
