package io.chgate.gateway.tls;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** TLS counts of the process, for /metrics: handshakes and failures each side, the served certificate's expiry. */
public final class TlsStats {
    /** Handshakes with clients on the HTTPS listener that completed, and that failed. */
    public static final LongAdder CLIENT_HANDSHAKES = new LongAdder();
    public static final LongAdder CLIENT_HANDSHAKE_FAILURES = new LongAdder();
    /** Handshakes with https upstreams that completed, and that failed (a certificate refused among them). */
    public static final LongAdder UPSTREAM_HANDSHAKES = new LongAdder();
    public static final LongAdder UPSTREAM_HANDSHAKE_FAILURES = new LongAdder();
    /** When the HTTPS listener's certificate in force expires, seconds since the epoch; 0 without one. */
    public static final AtomicLong CERTIFICATE_NOT_AFTER = new AtomicLong();

    private TlsStats() {
    }
}
