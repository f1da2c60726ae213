package io.chgate.vault;

/** ClickHouse refused an admin statement. */
public final class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public AdminException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
