package io.chgate.gateway.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TLS implementation chgate's contexts use: OpenSSL (BoringSSL, netty-tcnative) when its native library loads
 * on this machine, the JDK's otherwise; the system property {@code chgate.tls.provider} ({@code openssl} or
 * {@code jdk}) chooses one, e.g. to measure both. Said once in the log.
 */
public final class TlsProvider {
    private static final Logger log = LoggerFactory.getLogger(TlsProvider.class);
    private static volatile SslProvider chosen;

    private TlsProvider() {
    }

    public static SslProvider get() {
        SslProvider provider = chosen;
        if (provider == null) {
            synchronized (TlsProvider.class) {
                if (chosen == null) {
                    chosen = choose();
                }
                provider = chosen;
            }
        }
        return provider;
    }

    private static SslProvider choose() {
        String wanted = System.getProperty("chgate.tls.provider", "").toLowerCase(Locale.ROOT);
        if (wanted.equals("jdk")) {
            log.info("TLS through the JDK ({}), as chgate.tls.provider says", System.getProperty("java.version"));
            return SslProvider.JDK;
        }
        if (OpenSsl.isAvailable()) {
            log.info("TLS through OpenSSL: {}", OpenSsl.versionString());
            return SslProvider.OPENSSL;
        }
        Throwable why = OpenSsl.unavailabilityCause();
        if (wanted.equals("openssl")) {
            throw new IllegalStateException("chgate.tls.provider=openssl, but OpenSSL is not available: " + why);
        }
        log.info("TLS through the JDK ({}): OpenSSL is not available ({})", System.getProperty("java.version"),
                why == null ? "unknown" : why.toString());
        return SslProvider.JDK;
    }
}
