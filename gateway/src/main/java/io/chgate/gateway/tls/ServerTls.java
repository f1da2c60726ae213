package io.chgate.gateway.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS listener's TLS: TLS 1.2 and 1.3, ALPN {@code http/1.1}, client certificates required when a client CA is
 * given. The context is swapped whole on {@link #reload} and when the files change ({@link #watch}); each accepted
 * connection takes the context in force then, so open connections keep the one they started with.
 */
public final class ServerTls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private record Loaded(SslContext context, CertificateFiles files, byte[] digest, X509Certificate certificate) {
    }

    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private volatile byte[] failedDigest;
    private ScheduledExecutorService watcher;

    private ServerTls(Loaded loaded) {
        current.set(loaded);
        TlsStats.CERTIFICATE_NOT_AFTER.set(notAfter(loaded).getEpochSecond());
    }

    /** @throws IllegalArgumentException when a file cannot be read, or key and certificate do not match */
    public static ServerTls load(CertificateFiles files) {
        return new ServerTls(build(files));
    }

    /** A TLS handler for a connection accepted now. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        return current.get().context().newHandler(alloc);
    }

    /** The certificate served to connections accepted now. */
    public X509Certificate certificate() {
        return current.get().certificate();
    }

    /** Whether clients must present a certificate. */
    public boolean clientCertificates() {
        return current.get().files().clientCaFile() != null;
    }

    /**
     * Reads the files again (perhaps other files) and serves them to connections accepted from now on.
     *
     * @throws IllegalArgumentException when they cannot be used: the context in force stays
     */
    public synchronized void reload(CertificateFiles files) {
        Loaded next = build(files);
        Loaded previous = current.getAndSet(next);
        TlsStats.CERTIFICATE_NOT_AFTER.set(notAfter(next).getEpochSecond());
        failedDigest = null;
        if (!Arrays.equals(previous.digest(), next.digest())) {
            log.info("listen_tls: serving the certificate of {}, valid until {}", subject(next), notAfter(next));
        }
    }

    /** Checks the files every {@code every} and reloads when their content changed. */
    public synchronized void watch(Duration every) {
        if (watcher != null) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chgate-tls-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, every.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Under the lock: a reload naming other files (SIGHUP) must not be undone by a check of the previous ones. */
    private synchronized void reloadIfChanged() {
        CertificateFiles files = current.get().files();
        byte[] digest;
        try {
            digest = digest(files);
        } catch (IllegalArgumentException e) {
            return;   // a file is missing for a moment while it is replaced; the next check sees it
        }
        if (Arrays.equals(digest, current.get().digest()) || Arrays.equals(digest, failedDigest)) {
            return;
        }
        try {
            reload(files);
        } catch (IllegalArgumentException | IllegalStateException e) {
            failedDigest = digest;   // said once per content, tried again when the files change again
            log.warn("listen_tls: the changed certificate files cannot be used, the previous certificate keeps being"
                    + " served: {}", e.getMessage());
        }
    }

    private static Loaded build(CertificateFiles files) {
        byte[] digest = digest(files);
        KeyMaterial material = KeyMaterial.read(files.certFile(), files.keyFile());
        if (material.notAfter().isBefore(Instant.now())) {
            log.warn("listen_tls: the certificate in {} expired at {}; clients will refuse it", files.certFile(),
                    material.notAfter());
        }
        SslContextBuilder builder = SslContextBuilder
                .forServer(material.key(), material.chain().toArray(X509Certificate[]::new))
                .sslProvider(TlsProvider.get())
                .protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_1_1));
        if (files.clientCaFile() != null) {
            builder.clientAuth(ClientAuth.REQUIRE)
                    .trustManager(KeyMaterial.certificates(files.clientCaFile()).toArray(X509Certificate[]::new));
        }
        try {
            return new Loaded(builder.build(), files, digest, material.certificate());
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("cannot build a TLS context from " + files.certFile() + " and "
                    + files.keyFile() + ": " + e.getMessage());
        }
    }

    private static byte[] digest(CertificateFiles files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path file : new Path[] {files.certFile(), files.keyFile(), files.clientCaFile()}) {
                if (file != null) {
                    sha.update(Files.readAllBytes(file));
                    sha.update((byte) 0);
                }
            }
            return sha.digest();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(Loaded loaded) {
        return loaded.certificate().getSubjectX500Principal().getName();
    }

    private static Instant notAfter(Loaded loaded) {
        return loaded.certificate().getNotAfter().toInstant();
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }
}
