package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Header;
import io.chgate.gateway.RawHttp.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway's first promise: a client sees no difference. Every shape is sent, byte for byte the same, to
 * ClickHouse directly and through the gateway, and the two responses must match in status, headers and body.
 */
class TransparencyTest {

    /**
     * The only response headers allowed to differ between the direct and the gatewayed response, each with why.
     * Everything else — including every other X-ClickHouse-* header — must be identical.
     */
    static final Set<String> LEGITIMATELY_DIFFERENT = Set.of(
            "date",                    // the clock moved between the two requests
            "x-clickhouse-query-id",   // ClickHouse makes a new id per query unless the client sends one
            "x-clickhouse-summary",    // per-query counters that include timing
            "x-clickhouse-progress");  // sent on a timer, so how many and their counts depend on timing

    static GatewayUnderTest env;

    @BeforeAll
    static void start() throws Exception {
        env = GatewayUnderTest.shared();
        env.clickhouse("CREATE DATABASE IF NOT EXISTS chgate_transparency");
        env.clickhouse("DROP TABLE IF EXISTS chgate_transparency.t");
        env.clickhouse("CREATE TABLE chgate_transparency.t (id UInt64, name String) ENGINE = Memory");
    }

    record Shape(String name, byte[] request, boolean head) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Shape get(String name, String target, Header... headers) {
        return new Shape(name, RawHttp.request("GET", target, List.of(headers), null), false);
    }

    static Shape post(String name, String target, byte[] body, Header... headers) {
        return new Shape(name, RawHttp.request("POST", target, List.of(headers), body), false);
    }

    static Shape post(String name, String target, String body, Header... headers) {
        return post(name, target, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    static String q(String sql) {
        return "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Header h(String name, String value) {
        return new Header(name, value);
    }

    static byte[] gzip(String text) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
                gz.write(text.getBytes(StandardCharsets.UTF_8));
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] deflate(String text) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (DeflaterOutputStream d = new DeflaterOutputStream(b)) {
                d.write(text.getBytes(StandardCharsets.UTF_8));
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] multipart(String boundary, String field, String filename, String content) {
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + content + "\r\n--" + boundary + "--\r\n";
        return body.getBytes(StandardCharsets.UTF_8);
    }

    static String field(String name, String value) {
        return "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value;
    }

    static String file(String name, String content) {
        return "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name + ".tsv\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + content;
    }

    /** A multipart/form-data body of the given parts (each its headers, a blank line, and its content). */
    static byte[] form(String boundary, String... parts) {
        StringBuilder body = new StringBuilder();
        for (String part : parts) {
            body.append("--").append(boundary).append("\r\n").append(part).append("\r\n");
        }
        return body.append("--").append(boundary).append("--\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Shape> shapes() {
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (env.authUser() + ":" + env.authPassword()).getBytes(StandardCharsets.UTF_8));
        String wrongBasic = "Basic " + Base64.getEncoder().encodeToString(
                (env.authUser() + ":not-the-password").getBytes(StandardCharsets.UTF_8));
        String boundary = "chgateBoundary7MA4YWxkTrZu0gW";
        List<Shape> shapes = new ArrayList<>(List.of(
                get("query in URL", q("SELECT 1")),
                get("root without query", "/"),
                get("ping", "/ping"),
                get("replicas_status", "/replicas_status"),
                post("query in body", "/", "SELECT number, toString(number) FROM system.numbers LIMIT 10"),
                post("query split between URL and body", q("SELECT number FROM system.numbers"), "LIMIT 3"),
                post("query in body with trailing semicolon and comments",
                        "/", "-- leading comment\nSELECT /* inline */ 42 AS answer; "),
                get("default_format parameter", q("SELECT 1 AS a, 'x' AS b") + "&default_format=JSONCompact"),
                get("FORMAT clause", q("SELECT 1 AS a, 'x' AS b FORMAT JSON")),
                get("database parameter", q("SELECT count() FROM tables WHERE database = 'system' FORMAT TSV")
                        + "&database=system"),
                get("user and password parameters", q("SELECT user FROM system.processes") + "&user=" + env.authUser()
                        + "&password=" + env.authPassword()),
                get("basic auth", q("SELECT user FROM system.processes"), h("Authorization", basic)),
                get("X-ClickHouse-User and Key", q("SELECT user FROM system.processes"),
                        h("X-ClickHouse-User", env.authUser()), h("X-ClickHouse-Key", env.authPassword())),
                get("wrong password", q("SELECT 1"), h("Authorization", wrongBasic)),
                get("unknown user", q("SELECT 1") + "&user=nobody_here"),
                get("syntax error", q("SELEC 1")),
                get("unknown table", q("SELECT * FROM chgate_transparency.missing")),
                get("settings as URL parameters", q("SELECT number FROM system.numbers LIMIT 100")
                        + "&max_result_rows=5&result_overflow_mode=break"),
                get("readonly setting refuses writes", q("CREATE TABLE chgate_transparency.nope (x UInt8) ENGINE = Memory")
                        + "&readonly=1"),
                get("query_id parameter", q("SELECT 1") + "&query_id=chgate-transparency-fixed-id"),
                get("quota_key parameter", q("SELECT 2") + "&quota_key=dashboard-7"),
                get("compress=1 response", q("SELECT number FROM system.numbers LIMIT 5000") + "&compress=1"),
                get("gzip response", q("SELECT number FROM system.numbers LIMIT 5000") + "&enable_http_compression=1",
                        h("Accept-Encoding", "gzip")),
                get("deflate response", q("SELECT number FROM system.numbers LIMIT 5000")
                        + "&enable_http_compression=1", h("Accept-Encoding", "deflate")),
                get("Accept-Encoding without enable_http_compression", q("SELECT 3"), h("Accept-Encoding", "gzip, br")),
                post("gzip-encoded query body", "/", gzip("SELECT 'gzipped body' FORMAT TSV"),
                        h("Content-Encoding", "gzip")),
                post("deflate-encoded query body", "/", deflate("SELECT 'deflated body' FORMAT TSV"),
                        h("Content-Encoding", "deflate")),
                get("wait_end_of_query", q("SELECT number FROM system.numbers LIMIT 20000")
                        + "&wait_end_of_query=1&buffer_size=1000"),
                get("send_progress_in_http_headers", q("SELECT count() FROM numbers(20000000)")
                        + "&send_progress_in_http_headers=1&http_headers_progress_interval_ms=1&max_block_size=1000"),
                get("session_check for a missing session", q("SELECT 1")
                        + "&session_id=chgate-no-such-session&session_check=1"),
                new Shape("HEAD", RawHttp.request("HEAD", q("SELECT 1"), List.of(), null), true),
                new Shape("OPTIONS", RawHttp.request("OPTIONS", "/", List.of(), null), false),
                post("chunked request body", "/", RawHttp.chunked(
                        "SELECT 'sent in chunks', number FROM system.numbers LIMIT 3".getBytes(StandardCharsets.UTF_8), 7),
                        h("Transfer-Encoding", "chunked")),
                post("Expect: 100-continue", "/", "SELECT 'continued'", h("Expect", "100-continue")),
                post("multipart external table", q("SELECT sum(x) FROM ext") + "&ext_structure=x%20UInt32&ext_format=TSV",
                        multipart(boundary, "ext", "ext.tsv", "1\n2\n3\n"),
                        h("Content-Type", "multipart/form-data; boundary=" + boundary)),
                post("multipart query in a form field, after the file", "/?ext_structure=x%20UInt32",
                        form(boundary, file("ext", "1\n2\n3\n"), field("query", "SELECT sum(x) * 2 FROM ext")),
                        h("Content-Type", "multipart/form-data; boundary=\"" + boundary + "\"")),
                post("multipart query split between URL and form fields", q("SELECT sum(x)")
                        + "&ext_structure=x%20UInt32", form(boundary, field("query", " + 1"), field("query", " FROM ext"),
                        file("ext", "4\n5\n")), h("Content-Type", "multipart/form-data; boundary=" + boundary)),
                get("error in the middle of a result", q("SELECT throwIf(number = 300000) FROM system.numbers")
                        + "&max_block_size=65536"),
                get("unicode in query", q("SELECT 'Grüße, 世界' AS greeting FORMAT TSV")),
                post("POST with empty body and URL query", q("SELECT 5"), new byte[0]),
                post("bad INSERT data", q("INSERT INTO chgate_transparency.t FORMAT TSV"), "not-a-number\tx\n"),
                get("param_ parameter (not supported by this server)", q("SELECT 1") + "&param_id=5")));
        return shapes.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void sameResponseDirectAndThroughTheGateway(Shape shape) throws IOException {
        Response direct = env.direct(shape.request(), shape.head());
        Response proxied = env.proxied(shape.request(), shape.head());
        assertSame(direct, proxied);
    }

    /** Default deny: the gateway answers an unknown setting itself, with ClickHouse's status and code, unforwarded. */
    @org.junit.jupiter.api.Test
    void anUnknownSettingIsAnsweredByTheGatewayAsClickHouseWould() throws IOException {
        byte[] request = RawHttp.request("GET", q("SELECT 1") + "&no_such_setting=1", List.of(), null);
        Response direct = env.direct(request, false);
        Response proxied = env.proxied(request, false);
        assertThat(proxied.statusLine()).isEqualTo(direct.statusLine());
        assertThat(direct.bodyText()).startsWith("Code: 115, ");   // 18.16's form, without the header
        assertThat(proxied.header("X-ClickHouse-Exception-Code")).isEqualTo("115");
        assertThat(proxied.bodyText()).startsWith("Code: 115. DB::Exception: ").contains("no_such_setting");
    }

    static void assertSame(Response direct, Response proxied) {
        assertThat(proxied.statusLine()).as("status line").isEqualTo(direct.statusLine());
        assertThat(comparable(proxied)).as("headers").isEqualTo(comparable(direct));
        String type = direct.header("Content-Type");
        if (type != null && type.startsWith("application/json")) {
            // JSON formats end with "statistics": the query's elapsed time, different on every run.
            assertThat(withoutElapsed(proxied.bodyText())).as("JSON body").isEqualTo(withoutElapsed(direct.bodyText()));
        } else {
            assertThat(proxied.bodyLength()).as("body length").isEqualTo(direct.bodyLength());
            assertThat(proxied.sha256()).as("body bytes").isEqualTo(direct.sha256());
        }
        assertThat(proxied.complete()).as("framing complete").isEqualTo(direct.complete());
        assertThat(proxied.headerValues("X-ClickHouse-Progress").isEmpty())
                .as("progress headers present").isEqualTo(direct.headerValues("X-ClickHouse-Progress").isEmpty());
    }

    static String withoutElapsed(String json) {
        return json.replaceAll("\"elapsed\": ?[0-9.eE+-]+", "\"elapsed\": 0");
    }

    /** Headers by name (order among different names means nothing in HTTP; among equal names it is kept). */
    static List<String> comparable(Response r) {
        List<String> out = new ArrayList<>();
        for (Header h : r.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (!LEGITIMATELY_DIFFERENT.contains(name)) {
                out.add(h.name() + ": " + h.value());
            }
        }
        out.sort(java.util.Comparator.comparing(line -> line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT)));
        return out;
    }

    @Test
    void insertWithDataInTheBodyArrives() throws IOException {
        env.clickhouse("TRUNCATE TABLE chgate_transparency.t");
        byte[] viaUrl = RawHttp.request("POST", q("INSERT INTO chgate_transparency.t FORMAT TSV"), List.of(),
                "1\tone\n2\ttwo\n".getBytes(StandardCharsets.UTF_8));
        byte[] inBody = RawHttp.request("POST", "/", List.of(),
                "INSERT INTO chgate_transparency.t FORMAT TSV\n3\tthree\n".getBytes(StandardCharsets.UTF_8));
        byte[] values = RawHttp.request("POST", "/", List.of(),
                "INSERT INTO chgate_transparency.t VALUES (4, 'four'), (5, 'five')".getBytes(StandardCharsets.UTF_8));
        for (byte[] request : List.of(viaUrl, inBody, values)) {
            Response direct = env.direct(request, false);
            Response proxied = env.proxied(request, false);
            assertSame(direct, proxied);
            assertThat(proxied.status()).isEqualTo(200);
        }
        assertThat(env.clickhouse("SELECT count(), sum(id) FROM chgate_transparency.t FORMAT TSV"))
                .isEqualTo("10\t30\n");
    }

    @Test
    void sessionKeepsTemporaryTablesAcrossRequests() throws IOException {
        for (boolean throughGateway : new boolean[] {false, true}) {
            String session = "chgate-session-" + throughGateway + "-" + System.nanoTime();
            byte[] create = RawHttp.request("POST", q("CREATE TEMPORARY TABLE tmp (x UInt8)") + "&session_id=" + session,
                    List.of(), new byte[0]);
            byte[] insert = RawHttp.request("POST", q("INSERT INTO tmp VALUES (7), (8)") + "&session_id=" + session,
                    List.of(), new byte[0]);
            byte[] read = RawHttp.request("GET", q("SELECT sum(x) FROM tmp") + "&session_id=" + session
                    + "&session_check=1", List.of(), null);
            Response r1 = throughGateway ? env.proxied(create, false) : env.direct(create, false);
            Response r2 = throughGateway ? env.proxied(insert, false) : env.direct(insert, false);
            Response r3 = throughGateway ? env.proxied(read, false) : env.direct(read, false);
            assertThat(List.of(r1.status(), r2.status(), r3.status())).containsOnly(200);
            assertThat(r3.bodyText()).isEqualTo("15\n");
        }
    }

    @Test
    void keepAliveConnectionServesManyRequestsInTurn() throws IOException {
        try (RawHttp direct = env.openDirect(); RawHttp proxied = env.openProxied()) {
            for (int i = 0; i < 20; i++) {
                byte[] request = RawHttp.request("GET", q("SELECT " + i), List.of(), null);
                Response d = direct.exchange(request, false);
                Response p = proxied.exchange(request, false);
                assertSame(d, p);
                assertThat(p.bodyText()).isEqualTo(i + "\n");
            }
        }
    }

    /** chgate's own answer to a HEAD has no body (its encoder is told the method), so the next answer stays intact. */
    @Test
    void aRefusedHeadRequestIsAnsweredWithoutABodyAndTheConnectionGoesOn() throws IOException {
        try (RawHttp proxied = env.openProxied()) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(RawHttp.request("HEAD", "/?query=SELECT%zz1", List.of(), null));   // chgate refuses it
            both.writeBytes(RawHttp.request("GET", q("SELECT 'after'"), List.of(), null));
            proxied.send(both.toByteArray());
            RawHttp.Response refused = proxied.read(true, false);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.header("X-ClickHouse-Exception-Code")).isEqualTo("36");
            assertThat(proxied.read(false, false).bodyText()).isEqualTo("after\n");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (RawHttp proxied = env.openProxied()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < 5; i++) {
                all.writeBytes(RawHttp.request("GET", q("SELECT " + (100 + i)), List.of(), null));
            }
            proxied.send(all.toByteArray());
            for (int i = 0; i < 5; i++) {
                assertThat(proxied.read(false, false).bodyText()).isEqualTo((100 + i) + "\n");
            }
        }
    }
}
