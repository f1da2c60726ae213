package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.RewritingInterceptor;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Red team, the request itself: chgate must read a request exactly as ClickHouse will, and refuse what it cannot.
 * Against the real 18.16 server; each query carries a marker, and ClickHouse's own query_log says whether it ran.
 */
class RedTeamRequestTest {
    static GatewayUnderTest env;

    @BeforeAll
    static void start() throws Exception {
        env = GatewayUnderTest.start(RewritingInterceptor.fromConfig(new GatewayConfig(), 1), Map.of());
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Response send(String method, String target, String body) throws IOException {
        return env.proxied(RawHttp.request(method, target, List.of(),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8)), method.equals("HEAD"));
    }

    /** How many times ClickHouse ran a query containing the marker (read from its own query_log). */
    static int ran(String marker) {
        env.clickhouse("SYSTEM FLUSH LOGS");
        return Integer.parseInt(env.clickhouse("SELECT count() FROM system.query_log WHERE type = 1 AND query LIKE '%"
                + marker + "%' AND query NOT LIKE '%query_log%'").trim());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/play", "/dashboard", "/binary", "/merges", "/js/uplot.js", "/%70lay", "//", "/./",
        "/no/such/handler", "/ping/", "/PING"})
    void pathsOtherThanTheQueryHandlerAreRefused(String path) throws IOException {
        String marker = "m" + UUID.randomUUID().toString().replace("-", "");
        Response get = send("GET", path + "?query=" + enc("SELECT '" + marker + "'"), null);
        Response post = send("POST", path, "SELECT '" + marker + "'");
        for (Response r : List.of(get, post)) {
            assertThat(r.status()).as(r.bodyText()).isEqualTo(404);
            assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
            assertThat(r.bodyText()).startsWith("Code: 497. DB::Exception: chgate: the path ");
        }
        assertThat(ran(marker)).isZero();
    }

    @Test
    void healthChecksCarryNoQuery() throws IOException {
        assertThat(send("GET", "/ping", null).bodyText()).isEqualTo("Ok.\n");
        String marker = "m" + UUID.randomUUID().toString().replace("-", "");
        for (Response r : List.of(send("GET", "/ping?query=" + enc("SELECT '" + marker + "'"), null),
                send("POST", "/ping", "SELECT '" + marker + "'"),
                send("GET", "/replicas_status?query=" + enc("SELECT '" + marker + "'"), null))) {
            assertThat(r.status()).as(r.bodyText()).isEqualTo(400);
            assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
        }
        assertThat(ran(marker)).isZero();
    }

    /** ClickHouse splits the query string on '&' only: a ';' is part of the query, not the end of a parameter. */
    @Test
    void aSemicolonDoesNotEndTheQueryParameter() throws IOException {
        String hidden = "SELECT 1 --;\nUNION ALL SELECT count() FROM mysql('127.0.0.1:1', 'd', 't', 'u', 'p')";
        Response r = send("GET", "/?query=" + enc("SELECT 1 --").replace("%3B", ";") + ";"
                + enc("\nUNION ALL SELECT count() FROM mysql('127.0.0.1:1', 'd', 't', 'u', 'p')"), null);
        assertThat(hidden).contains("mysql(");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(403);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
    }

    @Test
    void theFirstQueryParameterIsTheOnlyOneAllowed() throws IOException {
        String marker = "m" + UUID.randomUUID().toString().replace("-", "");
        Response r = send("GET", "/?query=" + enc("SELECT 1") + "&query=" + enc("SELECT '" + marker + "'"), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(ran(marker)).isZero();
    }

    @Test
    void aMalformedEscapeIsAClickHouseStyleError() throws IOException {
        Response r = send("GET", "/?query=SELECT%2046%zz", null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("36");
        assertThat(r.bodyText()).startsWith("Code: 36. DB::Exception: chgate: malformed %-escape");
    }

    /** Finding H3: 10,000 nested brackets in 20 KB ended ClickHouse 18.16; refused before it is forwarded. */
    @Test
    void nestingDeeperThanClickHouseParsesIsRefused() throws IOException {
        String deep = "SELECT " + "(".repeat(10_000) + "1" + ")".repeat(10_000);
        Response r = send("POST", "/", deep);
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("306");
        assertThat(r.bodyText()).contains("max_parser_depth");
        assertThat(send("GET", "/?query=" + enc("SELECT 1"), null).bodyText()).isEqualTo("1\n");
    }
}
