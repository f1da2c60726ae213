package io.chgate.vault;

/** Vault answered with an error, or could not be reached. Names the path and status, never a token or value. */
public final class VaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public VaultException(int status, String path, String detail) {
        super("Vault " + (status == 0 ? "request" : "answered " + status) + " for " + path + ": " + detail, null,
                false, false);
        this.status = status;
    }

    /** The HTTP status, or 0 when Vault was not reached. */
    public int status() {
        return status;
    }
}
