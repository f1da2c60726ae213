package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Header;
import io.chgate.gateway.RawHttp.Response;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin listener after a mixed workload: health, readiness, integrations without secrets, Prometheus metrics. */
class AdminServerTest {
    static final String TOKEN = "admin-token-for-tests";
    static LocalStack stack;
    static EmbeddedGateway gateway;
    static final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> ACCESS =
            new ch.qos.logback.core.read.ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        EmbeddedGateway g = new EmbeddedGateway(stack)
                .integration("admin_pg", "postgresql", stack.pgPort(), "shop", stack.pgUser(), stack.pgPassword())
                .user("ops", "ops-pw", List.of("admin_pg"));
        g.config.adminListen = "127.0.0.1:0";
        g.config.adminToken = TOKEN;
        g.config.accessLog = true;
        ACCESS.start();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("chgate.access")).addAppender(ACCESS);
        gateway = g.start();
        for (String sql : List.of("SELECT 1", "SELECT count() FROM postgresql(admin_pg, table = 'orders')",
                "SYSTEM SHUTDOWN", "SELECT * FROM file('/etc/passwd', 'LineAsString')", "SELECT 1",
                "SELECT count() FROM postgresql('127.0.0.1:" + stack.pgPort() + "', 'shop', 'orders', 'bi', '')")) {
            try (RawHttp c = new RawHttp("127.0.0.1", gateway.port())) {
                c.exchange(RawHttp.request("POST", "/", List.of(new Header("X-ClickHouse-User", "ops"),
                        new Header("X-ClickHouse-Key", "ops-pw")), sql.getBytes(StandardCharsets.UTF_8)), false);
            }
        }
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.port())) {
            c.exchange(RawHttp.request("GET", "/?query=SELECT%201", List.of(new Header("X-ClickHouse-User", "ops"),
                    new Header("X-ClickHouse-Key", "wrong")), null), false);
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static HttpResponse<String> admin(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndReadiness() throws Exception {
        assertThat(admin("/health", TOKEN).body()).isEqualTo("ok\n");
        HttpResponse<String> ready = admin("/ready", TOKEN);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(admin("/health", null).statusCode()).isEqualTo(401);
        assertThat(admin("/health", "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void integrationsShowStateButNoSecret() throws Exception {
        String body = admin("/integrations", TOKEN).body();
        assertThat(body).contains("\"name\" : \"admin_pg\"").contains("\"state\" : \"ready\"")
                .contains("managed_credentials").doesNotContain(stack.pgPassword()).doesNotContain(stack.pgUser());
    }

    @Test
    void theEffectiveConfigurationShowsNoSecret() throws Exception {
        HttpResponse<String> config = admin("/config", TOKEN);
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("\"listen\"").contains("\"admin_pg\"").contains("\"token\" : \"***\"")
                .contains("\"admin_token\" : \"***\"").contains("\"password_sha256_hex\" : \"***\"")
                .contains("\"connect_timeout\" : \"5s\"").doesNotContain(stack.vaultToken()).doesNotContain(TOKEN)
                .doesNotContain(GatewayUsersTest.sha256("ops-pw"));
    }

    @Test
    void metricsCountTheWorkload() throws Exception {
        String metrics = admin("/metrics", TOKEN).body();
        assertThat(metrics).contains("chgate_requests_total{method=\"POST\",status=\"200\",user=\"ops\"} 4.0")
                .contains("chgate_rewrites_total{user=\"ops\"} 1.0")
                .contains("chgate_upstream_latency_seconds_bucket{le=")
                .contains("chgate_upstream_latency_seconds_count 4")
                .containsPattern("chgate_verdict_cache_hits_total [1-9]")
                .containsPattern("chgate_vault_calls_total [1-9]")
                .containsPattern("chgate_collection_refreshes_total [1-9]")
                .contains("chgate_vault_errors_total").contains("chgate_vault_renewals_total")
                .contains("chgate_refusals_total{code=\"497\",user=\"ops\"} 2.0")
                .contains("chgate_refusals_total{code=\"516\",user=\"-\"} 1.0")
                .contains("chgate_client_connections").contains("chgate_requests_in_flight")
                .doesNotContain(stack.pgPassword()).doesNotContain("SELECT");
    }

    @Test
    void theAccessLogHasALinePerRequestAndNoSql() {
        List<String> lines = ACCESS.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(5);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"user\":\"ops\"").contains("\"status\":200"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"error_code\":\"497\"").contains("\"status\":403"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"error_code\":\"516\""));
        assertThat(String.join("\n", lines)).doesNotContain("SELECT").doesNotContain("SYSTEM")
                .doesNotContain("passwd").doesNotContain(stack.pgPassword()).doesNotContain("ops-pw");
    }

    /** The Grafana dashboard shipped with chgate queries only metrics chgate exports. */
    @Test
    void theDashboardUsesOnlyExportedMetrics() throws Exception {
        String dashboard;
        try (var in = AdminServerTest.class.getResourceAsStream("/grafana-dashboard.json")) {
            dashboard = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dashboard);
        String metrics = admin("/metrics", TOKEN).body();
        java.util.Set<String> used = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("chgate_[a-z_]+").matcher(dashboard);
        while (m.find()) {
            used.add(m.group());
        }
        assertThat(json.path("panels").size()).isGreaterThanOrEqualTo(5);
        assertThat(used).isNotEmpty().allSatisfy(name -> assertThat(metrics).contains(name));
    }
}
