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

    /**
     * Finding M2: a 33 KB decompress=1 body declaring four 256 MiB blocks ran chgate out of memory. Blocks are
     * bounded before anything is allocated for them, and the gateway answers with ClickHouse's error.
     */
    @Test
    void declaredBlockSizesAreBoundedBeforeAnythingIsAllocated() throws IOException {
        byte[] block = io.chgate.gateway.codec.NativeBlocks.encode("SELECT 1".getBytes(StandardCharsets.UTF_8));
        int declared = 256 << 20;
        for (int i = 0; i < 4; i++) {
            block[16 + 5 + i] = (byte) (declared >>> (8 * i));   // the block's decompressed size, little-endian
        }
        long[] sum = io.chgate.gateway.codec.CityHash128.hash(block, 16, block.length - 16);
        for (int i = 0; i < 8; i++) {
            block[i] = (byte) (sum[0] >>> (8 * i));
            block[8 + i] = (byte) (sum[1] >>> (8 * i));
        }
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            body.writeBytes(block);
        }
        Response r = env.proxied(RawHttp.request("POST", "/?decompress=1", List.of(), body.toByteArray()), false);
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("271");
        assertThat(r.bodyText()).contains("larger than 16777216 bytes");
        assertThat(send("GET", "/?query=" + enc("SELECT 2"), null).bodyText()).isEqualTo("2\n");
    }

    /** Finding M3: malformed requests got a dropped connection, or were forwarded as something else. */
    @Test
    void malformedRequestsGetAClickHouseStyleAnswer() throws IOException {
        Response garbage = env.proxied(RawHttp.request("POST", "/", List.of(new RawHttp.Header("Content-Encoding",
                "gzip")), "this is not gzip at all".getBytes(StandardCharsets.UTF_8)), false);
        assertThat(garbage.status()).as(garbage.bodyText()).isBetween(400, 599);
        assertThat(garbage.header("X-ClickHouse-Exception-Code")).isNotNull();
        String marker = "m" + UUID.randomUUID().toString().replace("-", "");
        byte[] badChunk = ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\nSELECT '" + marker + "'\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Response chunk = env.proxied(badChunk, false);
        assertThat(chunk.status()).as(chunk.bodyText()).isEqualTo(400);
        assertThat(chunk.header("X-ClickHouse-Exception-Code")).isNotNull();
        assertThat(ran(marker)).isZero();
    }

    /** Finding C10: a query hidden in a form shape the two parsers read differently never reaches the server. */
    @Test
    void ambiguousFormsAreRefusedAndFormFieldsCannotUnpinSettings() throws IOException {
        String boundary = "chgateRedTeam42";
        String marker = "m" + UUID.randomUUID().toString().replace("-", "");
        List<RawHttp.Header> form = List.of(new RawHttp.Header("Content-Type", "multipart/form-data; boundary="
                + boundary));
        String lfOnly = "--" + boundary + "\nContent-Disposition: form-data; name=query\n\nSELECT '" + marker + "'\n--"
                + boundary + "--\n";
        Response r = env.proxied(RawHttp.request("POST", "/", form, lfOnly.getBytes(StandardCharsets.UTF_8)), false);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(400);
        assertThat(r.bodyText()).contains("malformed multipart form");
        String pinned = "--" + boundary + "\r\nContent-Disposition: form-data; name=input_format_values_interpret_expressions"
                + "\r\n\r\n1\r\n--" + boundary + "--\r\n";
        Response p = env.proxied(RawHttp.request("POST", "/?query=" + enc("SELECT '" + marker + "'"), form,
                pinned.getBytes(StandardCharsets.UTF_8)), false);
        assertThat(p.status()).as(p.bodyText()).isEqualTo(403);
        assertThat(ran(marker)).isZero();
    }
}
