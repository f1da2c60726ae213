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
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates (mTLS) on the HTTPS listener, in front of the real 18.16 server: no certificate, or one of
 * another CA, is no connection; a user bound to a certificate subject logs in with it and no password; the subject
 * is the verified certificate's, which nothing in the HTTP request (on either listener) can stand in for.
 */
class ClientCertificateTest {
    static final String BI_SUBJECT = "CN=bi-server,O=Example";
    static final String ANALYST_PASSWORD = "analyst-secret-9";
    static LocalStack stack;
    static TestCertificates ca;
    static GatewayServer gateway;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        ca = new TestCertificates("chgate test CA");
        TestCertificates.Pem server = ca.server("chgate", KeyKind.EC).write(dir, "server", false);
        Path passwordFile = Files.createFile(dir.resolve("ch-password"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, stack.clickhouseAuthPassword());
        GatewayConfig config = new ConfigLoader(Map.of("CHGATE_UPSTREAM_URL", stack.clickhouseHttpUrl()))
                .flag("listen", "127.0.0.1:0", "test").load().config();
        config.listenTls.address = "127.0.0.1:0";
        config.listenTls.certFile = server.cert().toString();
        config.listenTls.keyFile = server.key().toString();
        config.listenTls.clientCaFile = ca.writeCa(dir, "clients-ca.crt").toString();
        GatewayConfig.User bi = new GatewayConfig.User();
        bi.name = "bi";
        bi.tlsSubject = "CN=bi-server, O=Example";   // spaced unlike BI_SUBJECT: compared as names, not text
        bi.clickhouse.user = stack.clickhouseAuthUser();
        bi.clickhouse.passwordFile = passwordFile.toString();
        GatewayConfig.User analyst = new GatewayConfig.User();
        analyst.name = "analyst";
        analyst.passwordSha256Hex = GatewayUsersTest.sha256(ANALYST_PASSWORD);
        analyst.clickhouse.user = stack.clickhouseAuthUser();
        analyst.clickhouse.passwordFile = passwordFile.toString();
        config.users.addAll(List.of(bi, analyst));
        assertThat(ConfigLoader.validate(config)).isEmpty();
        gateway = GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static HttpResponse<String> get(SSLContext tls, String target) throws Exception {
        return HttpsListenerTest.get(tls, "127.0.0.1", gateway.tlsAddress().getPort(), target);
    }

    static HttpResponse<String> get(SSLContext tls, String target, String... headers) throws Exception {
        var client = java.net.http.HttpClient.newBuilder().sslContext(tls).build();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:"
                + gateway.tlsAddress().getPort() + target));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutACertificateOrWithOneOfAnotherCaThereIsNoConnection() throws Exception {
        long failures = io.chgate.gateway.tls.TlsStats.CLIENT_HANDSHAKE_FAILURES.sum();
        assertThatThrownBy(() -> get(ca.trustingOnly(), "/ping")).isInstanceOf(IOException.class);
        assertThat(io.chgate.gateway.tls.TlsStats.CLIENT_HANDSHAKE_FAILURES.sum()).isGreaterThan(failures);
        TestCertificates stranger = new TestCertificates("another CA");
        SSLContext foreign = stranger.client(BI_SUBJECT).clientContext(ca);
        assertThatThrownBy(() -> get(foreign, q(GatewayUsersTest.WHO))).isInstanceOf(IOException.class);
    }

    @Test
    void theBoundCertificateLogsInWithoutAPassword() throws Exception {
        SSLContext bi = ca.client(BI_SUBJECT).clientContext(ca);
        HttpResponse<String> r = get(bi, q(GatewayUsersTest.WHO));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(stack.clickhouseAuthUser() + "\n");
        // its own name alone, as a client that always sends a user does
        assertThat(get(bi, q(GatewayUsersTest.WHO) + "&user=bi").body()).isEqualTo(stack.clickhouseAuthUser() + "\n");
        // another user's name without that user's password: refused, not logged in as bi
        assertAuthenticationFailed(get(bi, q("SELECT 1") + "&user=analyst"));
        // with the password, another user's login still works over the bound certificate's connection
        assertThat(get(bi, q("SELECT 1") + "&user=analyst&password=" + ANALYST_PASSWORD).body()).isEqualTo("1\n");
    }

    @Test
    void anUnboundCertificateNeedsAPassword() throws Exception {
        SSLContext someone = ca.client("CN=someone,O=Example").clientContext(ca);
        assertAuthenticationFailed(get(someone, q("SELECT 1")));
        assertAuthenticationFailed(get(someone, q("SELECT 1") + "&user=bi"));
        assertThat(get(someone, q("SELECT 1") + "&user=analyst&password=" + ANALYST_PASSWORD).body())
                .isEqualTo("1\n");
    }

    @Test
    void nothingInTheRequestStandsInForTheCertificate() throws Exception {
        SSLContext someone = ca.client("CN=someone,O=Example").clientContext(ca);
        assertAuthenticationFailed(get(someone, q("SELECT 1") + "&user=bi", "X-ClickHouse-SSL-Certificate-Auth", "on",
                "X-SSL-Client-Subject", BI_SUBJECT, "X-Client-Cert", BI_SUBJECT));
        // the plain listener knows no certificate: the bound user has no password to give there
        try (RawHttp plain = new RawHttp("127.0.0.1", gateway.address().getPort())) {
            RawHttp.Response r = plain.exchange(RawHttp.request("GET", q("SELECT 1") + "&user=bi",
                    List.of(new RawHttp.Header("X-SSL-Client-Subject", BI_SUBJECT)), null), false);
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("516");
        }
    }

    static void assertAuthenticationFailed(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).contains("516");
        assertThat(r.body()).startsWith("Code: 516. DB::Exception: chgate: ");
    }
}
