package io.chgate.sql;

/** A resolver refused a reference; the message is safe to show a client (it names the source, not arguments). */
public final class RewriteRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Reference reference;

    public RewriteRefusedException(Reference reference, String reason) {
        super(reason, null, false, false);
        this.reference = reference;
    }

    public Reference reference() {
        return reference;
    }
}
