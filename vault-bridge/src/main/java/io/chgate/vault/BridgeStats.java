package io.chgate.vault;

import java.util.concurrent.atomic.LongAdder;

/**
 * What vault-bridge did since the process started, for the gateway's metrics: counters only (no label, no value
 * from a secret), kept for the process because the managers and clients behind them are replaced on each reload.
 */
public final class BridgeStats {
    /** Requests sent to Vault. */
    public static final LongAdder VAULT_CALLS = new LongAdder();
    /** Vault requests that failed (unreachable, or a non-2xx answer). */
    public static final LongAdder VAULT_ERRORS = new LongAdder();
    /** Token and lease renewals asked of Vault. */
    public static final LongAdder RENEWALS = new LongAdder();
    /** Credentials fetched and applied to an integration's collections (first loads and refreshes). */
    public static final LongAdder COLLECTION_REFRESHES = new LongAdder();
    /** Loads or refreshes that failed. */
    public static final LongAdder COLLECTION_FAILURES = new LongAdder();

    private BridgeStats() {
    }
}
