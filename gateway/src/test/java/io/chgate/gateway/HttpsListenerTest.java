package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chgate.gateway.TestCertificates.KeyKind;
import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener in front of the real ClickHouse 18.16 server: clients that trust only the test CA query through
 * it; what chgate serves is what it is configured with (an expired certificate or one for another name is refused
 * by the client, a key of another certificate is refused at start); a certificate swapped while a long response
 * streams leaves that response whole and is served to the next connection.
 */
class HttpsListenerTest {
    static LocalStack stack;
    static TestCertificates ca;
    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        stack = LocalStack.get();
        ca = new TestCertificates("chgate test CA");
    }

    static GatewayConfig config(TestCertificates.Pem pem) {
        GatewayConfig config = new ConfigLoader(Map.of("CHGATE_UPSTREAM_URL", stack.clickhouseHttpUrl()))
                .load().config();
        config.listen = "";
        config.listenTls.address = "127.0.0.1:0";
        config.listenTls.certFile = pem.cert().toString();
        config.listenTls.keyFile = pem.key().toString();
        return config;
    }

    static GatewayServer start(GatewayConfig config) throws InterruptedException {
        assertThat(ConfigLoader.validate(config)).isEmpty();
        return GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1));
    }

    static HttpResponse<String> get(SSLContext tls, String host, int port, String target) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + port + target)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClientTrustingOnlyTheTestCaQueriesClickHouseThroughChgate() throws Exception {
        for (KeyKind kind : KeyKind.values()) {
            for (boolean traditional : new boolean[] {false, true}) {   // PKCS#8, then PKCS#1 / SEC1
                TestCertificates.Pem pem = ca.server("chgate-" + kind, kind).write(dir, "s-" + kind + traditional,
                        traditional);
                try (GatewayServer gateway = start(config(pem))) {
                    assertThat(gateway.tlsAddress()).isEqualTo(gateway.address());
                    for (String host : new String[] {"127.0.0.1", "localhost"}) {
                        HttpResponse<String> r = get(ca.trustingOnly(), host, gateway.tlsAddress().getPort(),
                                q("SELECT version()"));
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        assertThat(r.body()).isEqualTo(stack.clickhouseVersion() + "\n");
                        assertThat(r.sslSession().orElseThrow().getPeerCertificates()[0])
                                .isEqualTo(certificate(pem));
                    }
                }
            }
        }
    }

    @Test
    void speaksTls12And13AndHttp11ByAlpn() throws Exception {
        TestCertificates.Pem pem = ca.server("chgate", KeyKind.EC).write(dir, "server", false);
        try (GatewayServer gateway = start(config(pem))) {
            assertThat(io.chgate.gateway.tls.TlsStats.CERTIFICATE_NOT_AFTER.get())
                    .isEqualTo(certificate(pem).getNotAfter().toInstant().getEpochSecond());
            assertThat(new io.chgate.gateway.observe.GatewayMetrics().scrape())
                    .contains("chgate_tls_certificate_expiry_seconds ")
                    .contains("chgate_tls_handshakes_total{side=\"client\"}");
            for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
                try (SSLSocket socket = socket(ca.trustingOnly(), gateway.tlsAddress().getPort(), protocol)) {
                    socket.startHandshake();
                    assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                    assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
                    assertThat(exchange(socket, q("SELECT 1"))).endsWith("\r\n\r\n1\n");
                }
            }
        }
    }

    @Test
    void anExpiredCertificateOrOneForAnotherNameIsRefusedByTheClient() throws Exception {
        TestCertificates.Pem expired = ca.expired("chgate-expired").write(dir, "expired", false);
        try (GatewayServer gateway = start(config(expired))) {
            assertThatThrownBy(() -> get(ca.trustingOnly(), "127.0.0.1", gateway.tlsAddress().getPort(), "/ping"))
                    .isInstanceOf(SSLHandshakeException.class).hasStackTraceContaining("validity check failed");
        }
        TestCertificates.Pem other = ca.forNames("CN=db.example.com", KeyKind.RSA, "db.example.com")
                .write(dir, "other", false);
        try (GatewayServer gateway = start(config(other))) {
            assertThatThrownBy(() -> get(ca.trustingOnly(), "127.0.0.1", gateway.tlsAddress().getPort(), "/ping"))
                    .isInstanceOf(SSLHandshakeException.class).hasStackTraceContaining("127.0.0.1");
        }
        TestCertificates stranger = new TestCertificates("another CA");
        TestCertificates.Pem unknown = stranger.server("chgate", KeyKind.EC).write(dir, "unknown", false);
        try (GatewayServer gateway = start(config(unknown))) {
            assertThatThrownBy(() -> get(ca.trustingOnly(), "127.0.0.1", gateway.tlsAddress().getPort(), "/ping"))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedAtStartWithAClearError() throws Exception {
        TestCertificates.Pem one = ca.server("one", KeyKind.RSA).write(dir, "one", false);
        TestCertificates.Pem two = ca.server("two", KeyKind.RSA).write(dir, "two", false);
        GatewayConfig config = config(new TestCertificates.Pem(one.cert(), two.key()));
        assertThat(ConfigLoader.validate(config)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("listen_tls.key_file");
            assertThat(p.message()).contains("does not match the certificate in " + one.cert())
                    .doesNotContain(Files.readString(two.key()).lines().skip(1).findFirst().orElseThrow());
        });
        assertThatThrownBy(() -> GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
        Files.writeString(two.key(), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        assertThat(ConfigLoader.validate(config(new TestCertificates.Pem(one.cert(), two.key()))))
                .singleElement().satisfies(p -> assertThat(p.message()).contains(two.key().toString()));
    }

    @Test
    void aSwappedCertificateReachesNewConnectionsWhileALongResponseKeepsStreaming() throws Exception {
        TestCertificates.Pem pem = ca.server("chgate-before", KeyKind.EC).write(dir, "live", false);
        X509Certificate before = certificate(pem);
        GatewayConfig config = config(pem);
        try (GatewayServer gateway = start(config)) {
            int port = gateway.tlsAddress().getPort();
            long rows = 3_000_000;
            try (SSLSocket streaming = socket(ca.trustingOnly(), port, null)) {
                streaming.getOutputStream().write(("GET " + q("SELECT number FROM system.numbers LIMIT " + rows)
                        + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = streaming.getInputStream();
                byte[] first = in.readNBytes(256 * 1024);
                assertThat(new String(first, 0, 15, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");

                // Swapped by the files alone (the watcher), then by a reload as SIGHUP does it.
                TestCertificates.Pem swapped = ca.server("chgate-after", KeyKind.RSA).write(dir, "next", false);
                Files.copy(swapped.key(), pem.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.copy(swapped.cert(), pem.cert(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                X509Certificate after = certificate(swapped);
                assertThat(servedTo(port, 20_000, before)).isEqualTo(after);
                assertThat(exchange(streaming.getSession(), before)).isTrue();

                TestCertificates.Pem third = ca.server("chgate-third", KeyKind.EC).write(dir, "third", true);
                config.listenTls.certFile = third.cert().toString();
                config.listenTls.keyFile = third.key().toString();
                gateway.reload(config, RewritingInterceptor.fromConfig(config, 2));
                assertThat(served(port)).isEqualTo(certificate(third));

                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                rest.write(first);
                in.transferTo(rest);
                String body = unchunk(rest.toString(StandardCharsets.US_ASCII));
                body = body.substring(body.indexOf("\r\n\r\n") + 4);
                assertThat(body.lines().count()).isEqualTo(rows);
                assertThat(body).endsWith("\n" + (rows - 1) + "\n");
            }
        }
    }

    private static boolean exchange(javax.net.ssl.SSLSession session, X509Certificate expected) throws Exception {
        return session.getPeerCertificates()[0].equals(expected);
    }

    /** The certificate a new connection is served, once it is no longer {@code old} (or after the wait). */
    private static X509Certificate servedTo(int port, long waitMillis, X509Certificate old) throws Exception {
        long until = System.currentTimeMillis() + waitMillis;
        X509Certificate now = served(port);
        while (now.equals(old) && System.currentTimeMillis() < until) {
            Thread.sleep(200);
            now = served(port);
        }
        return now;
    }

    static X509Certificate served(int port) throws Exception {
        try (SSLSocket socket = socket(ca.trustingOnly(), port, null)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    static X509Certificate certificate(TestCertificates.Pem pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem.cert())) {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
    }

    static SSLSocket socket(SSLContext tls, int port, String protocol) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        if (protocol != null) {
            parameters.setProtocols(new String[] {protocol});
        }
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** One request with {@code Connection: close}; the whole response as text. */
    static String exchange(SSLSocket socket, String target) throws IOException {
        socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        return response.contains("Transfer-Encoding: chunked") ? unchunk(response) : response;
    }

    private static String unchunk(String response) {
        int head = response.indexOf("\r\n\r\n") + 4;
        StringBuilder body = new StringBuilder(response.substring(0, head));
        int at = head;
        while (at < response.length()) {
            int eol = response.indexOf("\r\n", at);
            int size = Integer.parseInt(response.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            body.append(response, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
        return body.toString();
    }
}
