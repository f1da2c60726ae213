package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chgate to the stack's ClickHouse 18.16 over HTTPS (its {@code https_port}, with a certificate of the stack's own
 * CA): verification on works; a name the certificate is not for, or a CA that did not sign it, is refused with
 * ClickHouse's error and a 502, and nothing is sent; a node list mixing http and https serves from both.
 */
class UpstreamTlsTest {
    static LocalStack stack;
    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        stack = LocalStack.get();
    }

    static GatewayConfig config(String url) {
        GatewayConfig config = new ConfigLoader(Map.of("CHGATE_UPSTREAM_URL", url)).flag("listen", "127.0.0.1:0",
                "test").load().config();
        config.upstream.tls.caFile = stack.clickhouseTlsCaFile();
        return config;
    }

    static GatewayServer start(GatewayConfig config) throws InterruptedException {
        assertThat(ConfigLoader.validate(config)).isEmpty();
        return GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1));
    }

    static RawHttp.Response get(GatewayServer gateway, String target) throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.address().getPort())) {
            return c.exchange(RawHttp.request("GET", target, List.of(), null), false);
        }
    }

    @Test
    void verifiedHttpsToTheServer() throws Exception {
        try (GatewayServer gateway = start(config(stack.clickhouseHttpsUrl()))) {
            RawHttp.Response r = get(gateway, q("SELECT version()"));
            assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(stack.clickhouseVersion() + "\n");
            // many requests over the pooled TLS connections, a long streamed response among them
            for (int i = 0; i < 20; i++) {
                assertThat(get(gateway, q("SELECT " + i)).bodyText()).isEqualTo(i + "\n");
            }
            RawHttp.Response big = get(gateway, q("SELECT number FROM system.numbers LIMIT 1000000"));
            assertThat(big.bodyText().lines().count()).isEqualTo(1_000_000);
        }
    }

    @Test
    void anotherNameOrAnotherCaIsRefusedWithA502() throws Exception {
        long failures = io.chgate.gateway.tls.TlsStats.UPSTREAM_HANDSHAKE_FAILURES.sum();
        GatewayConfig otherName = config(stack.clickhouseHttpsUrl());
        otherName.upstream.tls.serverName = "clickhouse.example.com";
        try (GatewayServer gateway = start(otherName)) {
            assertRefused(get(gateway, q("SELECT 1")));
        }
        GatewayConfig otherCa = config(stack.clickhouseHttpsUrl());
        TestCertificates stranger = new TestCertificates("another CA");
        otherCa.upstream.tls.caFile = stranger.writeCa(dir, "other-ca.crt").toString();
        try (GatewayServer gateway = start(otherCa)) {
            assertRefused(get(gateway, q("SELECT 1")));
        }
        GatewayConfig jdkTrust = config(stack.clickhouseHttpsUrl());
        jdkTrust.upstream.tls.caFile = "";   // the JDK's CAs never signed the stack's certificate
        try (GatewayServer gateway = start(jdkTrust)) {
            assertRefused(get(gateway, q("SELECT 1")));
        }
        assertThat(io.chgate.gateway.tls.TlsStats.UPSTREAM_HANDSHAKE_FAILURES.sum()).isGreaterThanOrEqualTo(failures + 3);
        assertThat(new io.chgate.gateway.observe.GatewayMetrics().scrape())
                .contains("chgate_tls_handshake_failures_total{side=\"upstream\"}");
    }

    @Test
    void theNameCheckedIsServerNameWhenGiven() throws Exception {
        GatewayConfig byName = config(stack.clickhouseHttpsUrl());
        byName.upstream.tls.serverName = "localhost";   // the certificate's DNS name, reached at 127.0.0.1
        try (GatewayServer gateway = start(byName)) {
            assertThat(get(gateway, q("SELECT 1")).bodyText()).isEqualTo("1\n");
        }
        GatewayConfig skip = config(stack.clickhouseHttpsUrl());
        skip.upstream.tls.caFile = "";
        skip.upstream.tls.serverName = "clickhouse.example.com";
        skip.upstream.tls.insecureSkipVerify = true;
        try (GatewayServer gateway = start(skip)) {
            assertThat(get(gateway, q("SELECT 1")).bodyText()).isEqualTo("1\n");
        }
    }

    @Test
    void aNodeListMixingHttpAndHttpsServesFromBoth() throws Exception {
        GatewayConfig config = config(stack.clickhouseHttpUrl());
        config.upstream.nodes = List.of(stack.clickhouseHttpUrl(), stack.clickhouseHttpsUrl());
        config.upstream.balance = "round_robin";
        try (GatewayServer gateway = start(config)) {
            for (int i = 0; i < 6; i++) {
                RawHttp.Response r = get(gateway, q("SELECT " + i));
                assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
            }
            assertThat(gateway.upstreams().nodes()).allSatisfy(n -> assertThat(n.healthy()).isTrue());
            // round robin gave each node three: both pools keep open connections, to either port
            assertThat(establishedTo(URI.create(stack.clickhouseHttpUrl()).getPort())).isPositive();
            assertThat(establishedTo(URI.create(stack.clickhouseHttpsUrl()).getPort())).isPositive();
        }
    }

    /** Open TCP connections to a loopback port (the HTTPS port serves only these tests). */
    static long establishedTo(int port) throws IOException {
        String remote = String.format(":%04X ", port);
        // Java's sockets are IPv6 ones (127.0.0.1 mapped) unless told otherwise: both tables
        return java.util.stream.Stream.concat(Files.readAllLines(Path.of("/proc/net/tcp")).stream().skip(1),
                        Files.readAllLines(Path.of("/proc/net/tcp6")).stream().skip(1))
                .map(line -> line.trim().split("\\s+"))
                .filter(f -> (f[2] + " ").endsWith(remote) && f[3].equals("01")).count();
    }

    static void assertRefused(RawHttp.Response r) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(502);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("210");
        assertThat(r.bodyText()).startsWith("Code: 210. DB::Exception: chgate: upstream ClickHouse 127.0.0.1:18443"
                + " is unreachable: the TLS handshake failed: ");
    }
}
