package io.chgate.vault;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP client for Vault: the JDK's trust store, a private CA's PEM file, or — loudly — no verification. */
public final class VaultTls {
    private static final Logger log = LoggerFactory.getLogger(VaultTls.class);

    private VaultTls() {
    }

    /**
     * @param caFile PEM file of the CA(s) that signed Vault's certificate, or null for the JDK's trust store
     * @param skipVerify accept any certificate and host name (tests only; logs a warning every time it is used)
     */
    public static HttpClient client(Path caFile, boolean skipVerify) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        try {
            if (skipVerify) {
                log.warn("vault.tls_skip_verify is on: Vault's certificate and host name are NOT verified, so anyone "
                        + "on the network path can read the credentials chgate fetches. Use vault.ca_file instead.");
                // The JDK HTTP client checks host names unless this process-wide property says otherwise.
                System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustingManager()}, null);
                builder.sslContext(context);
            } else if (caFile != null) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                try (InputStream in = Files.newInputStream(caFile)) {
                    int i = 0;
                    for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("vault-ca-" + i++, certificate);
                    }
                    if (i == 0) {
                        throw new IllegalArgumentException("no certificate in " + caFile);
                    }
                }
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                builder.sslContext(context);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS for Vault from " + caFile + ": " + e.getMessage(), e);
        }
        return builder.build();
    }

    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
