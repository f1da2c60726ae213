package io.chgate.gateway.observe;

import io.chgate.gateway.tls.TlsStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** TLS on /metrics: handshakes and failures by side ({@code client}, {@code upstream}), the certificate's expiry. */
final class TlsMetrics {
    private TlsMetrics() {
    }

    static void register(MeterRegistry registry) {
        handshakes(registry, "client", TlsStats.CLIENT_HANDSHAKES, TlsStats.CLIENT_HANDSHAKE_FAILURES);
        handshakes(registry, "upstream", TlsStats.UPSTREAM_HANDSHAKES, TlsStats.UPSTREAM_HANDSHAKE_FAILURES);
        Gauge.builder("chgate_tls_certificate_expiry_seconds", TlsStats.CERTIFICATE_NOT_AFTER, AtomicLong::get)
                .description("when the HTTPS listener's certificate in force expires, seconds since the epoch"
                        + " (0: no HTTPS listener)").register(registry);
    }

    private static void handshakes(MeterRegistry registry, String side, LongAdder done, LongAdder failed) {
        FunctionCounter.builder("chgate_tls_handshakes", done, LongAdder::sum).tag("side", side)
                .description("TLS handshakes completed").register(registry);
        FunctionCounter.builder("chgate_tls_handshake_failures", failed, LongAdder::sum).tag("side", side)
                .description("TLS handshakes that failed (a certificate refused, no client certificate, ...)")
                .register(registry);
    }
}
