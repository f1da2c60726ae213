package io.chgate.gateway.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS to an {@code https://} upstream: the certificate checked against the given CAs (or the JDK's), the name
 * checked and sent as SNI — each node's host, or {@code serverName} — unless verification is skipped, which chgate
 * says loudly.
 */
public final class ClientTls {
    private static final Logger log = LoggerFactory.getLogger(ClientTls.class);

    private final SslContext context;
    private final String serverName;
    private final boolean verify;
    private final TrustManagerFactory trust;

    private ClientTls(SslContext context, TrustManagerFactory trust, String serverName, boolean verify) {
        this.context = context;
        this.trust = trust;
        this.serverName = serverName;
        this.verify = verify;
    }

    /**
     * @param caFile PEM CAs to trust, or null for the JDK's trust store
     * @param serverName the name to send and check, or null for each node's host
     * @param skipVerify accept any certificate for any name
     * @throws IllegalArgumentException when the CA file cannot be read
     */
    public static ClientTls create(Path caFile, String serverName, boolean skipVerify) {
        TrustManagerFactory trust = skipVerify ? InsecureTrustManagerFactory.INSTANCE : trustFactory(caFile);
        if (skipVerify) {
            log.warn("!!! upstream.tls.insecure_skip_verify is on: chgate accepts ANY certificate from its https"
                    + " upstreams, so anyone on the path can read and change every query, result and ClickHouse"
                    + " password; never use it outside a test !!!");
        }
        try {
            SslContext context = SslContextBuilder.forClient().sslProvider(TlsProvider.get())
                    .protocols("TLSv1.3", "TLSv1.2").trustManager(trust)
                    .endpointIdentificationAlgorithm(skipVerify ? null : "HTTPS").build();
            return new ClientTls(context, trust, blank(serverName) ? null : serverName, !skipVerify);
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS for the upstream: " + e.getMessage());
        }
    }

    /** A handler for a new connection to {@code host:port}; the name checked and sent is host or server_name. */
    public SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        return context.newHandler(alloc, serverName != null ? serverName : host, port);
    }

    /**
     * For the nodes' health checks ({@code GET /ping}): the same CAs, the chain checked but not the name (the check
     * sends nothing but the ping; requests are checked in full). The JDK's client cannot check another name.
     */
    public SSLContext healthCheckContext() {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            X509TrustManager delegate = (X509TrustManager) List.of(trust.getTrustManagers()).stream()
                    .filter(X509TrustManager.class::isInstance).findFirst().orElseThrow();
            ssl.init(null, new TrustManager[] {new ChainOnly(delegate)}, null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * For chgate's own DDL over the JDK's HTTP client (it carries the admin password): the same CAs and the name
     * of each node's URL checked, as the client does by itself; chain-only when verification is skipped.
     */
    public SSLContext adminContext() {
        if (!verify) {
            return healthCheckContext();
        }
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean verifies() {
        return verify;
    }

    private static TrustManagerFactory trustFactory(Path caFile) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                factory.init((KeyStore) null);
                return factory;
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : KeyMaterial.certificates(caFile)) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot use the CAs in " + caFile + ": " + e.getMessage());
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Checks the chain against the CAs and nothing else. */
    private static final class ChainOnly extends X509ExtendedTrustManager {
        private final X509TrustManager delegate;

        ChainOnly(X509TrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
