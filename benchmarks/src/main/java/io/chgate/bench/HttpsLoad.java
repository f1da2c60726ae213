package io.chgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTPS requests/s of {@code SELECT 1} at 1, 16 and 64 keep-alive connections through TLS-terminating proxies, all
 * given the same certificate and held to the same protocol and cipher (TLS 1.3, TLS_AES_128_GCM_SHA256), as ratios
 * to the first (nginx). Usage: {@code HttpsLoad <ca.pem> <seconds-per-point> <out.md> name=https://... ...}
 */
public final class HttpsLoad {
    private static final int[] CONCURRENCY = {1, 16, 64};
    private static final String CIPHER = "TLS_AES_128_GCM_SHA256";

    private HttpsLoad() {
    }

    public static void main(String[] args) throws Exception {
        SSLContext tls = trusting(Path.of(args[0]));
        int seconds = Integer.parseInt(args[1]);
        Map<String, URI> targets = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            targets.put(args[i].substring(0, eq), URI.create(args[i].substring(eq + 1)));
        }
        Map<String, double[]> rates = new LinkedHashMap<>();
        for (Map.Entry<String, URI> target : targets.entrySet()) {
            double[] perPoint = new double[CONCURRENCY.length];
            for (int p = 0; p < CONCURRENCY.length; p++) {
                run(tls, target.getValue(), CONCURRENCY[p], p == 0 ? 5 : 1);   // warm-up: a fresh JVM's JIT first
                perPoint[p] = run(tls, target.getValue(), CONCURRENCY[p], seconds);
                System.err.printf("%s c=%d: %.0f requests/s%n", target.getKey(), CONCURRENCY[p], perPoint[p]);
            }
            rates.put(target.getKey(), perPoint);
        }
        String table = table(rates, seconds);
        Files.writeString(Path.of(args[2]), table);
        System.out.print(table);
    }

    private static String table(Map<String, double[]> rates, int seconds) {
        double[] base = rates.values().iterator().next();
        String baseName = rates.keySet().iterator().next();
        StringBuilder md = new StringBuilder("# HTTPS load: SELECT 1 over keep-alive TLS 1.3 (" + CIPHER + ")\n\n")
                .append(HttpLoad.machine()).append("; ").append(seconds).append(" s per point\n\n")
                .append("| through | c=1 | c=16 | c=64 |\n| --- | --- | --- | --- |\n");
        rates.forEach((name, r) -> {
            md.append("| ").append(name);
            for (int p = 0; p < r.length; p++) {
                md.append(" | ").append(Math.round(r[p])).append(" req/s");
                if (!name.equals(baseName)) {
                    md.append(String.format(" (%.2f of %s)", r[p] / base[p], baseName));
                }
            }
            md.append(" |\n");
        });
        return md.toString();
    }

    /** Requests/s of {@code connections} clients for {@code seconds}. */
    static double run(SSLContext tls, URI target, int connections, int seconds) throws Exception {
        byte[] request = ("GET /?query=SELECT%201 HTTP/1.1\r\nHost: " + target.getHost() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(() -> {
                try (HttpConnection c = new HttpConnection(socket(tls, target))) {
                    while (System.nanoTime() < end) {
                        c.exchange(request, null);
                        done.increment();
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        long start = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IOException(target + ": " + failures.get(0), failures.get(0));
        }
        return done.sum() / ((System.nanoTime() - start) / 1e9);
    }

    private static SSLSocket socket(SSLContext tls, URI target) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(target.getHost(), target.getPort());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3"});
        parameters.setCipherSuites(new String[] {CIPHER});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static SSLContext trusting(Path caFile) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            store.setCertificateEntry("ca", (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
