package io.chgate.vault;

/**
 * An integration has no valid credentials (Vault unreachable past the lease's end, a role removed, ...). The
 * message names the integration and the reason, never a secret.
 */
public final class IntegrationUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String integration;

    public IntegrationUnavailableException(String integration, String reason) {
        super("integration '" + integration + "' has no valid credentials: " + reason, null, false, false);
        this.integration = integration;
    }

    public String integration() {
        return integration;
    }
}
