package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.http.EngineKey;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.cli.GatewayLauncher;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * chgate in front of the ClickHouse 26 engine in its own process ({@code upstream: embedded}): ClickHouse's HTTP
 * interface as clients use it, and the whole product path — an inline PostgreSQL reference rewritten into a named
 * collection and answered with the real table's rows.
 */
class EmbeddedUpstreamTest {
    static GatewayServer server;
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        GatewayConfig config = EmbeddedGateway.config(Map.of());
        GatewayConfig.Integration shop = new GatewayConfig.Integration();
        shop.name = "embedded_shop_pg";
        shop.source = "postgresql";
        shop.address = "127.0.0.1:" + stack.pgPort();
        shop.database = "shop";
        config.integrations.add(shop);
        server = GatewayLauncher.start(config, RewritingInterceptor.fromConfig(config, 1));
        // As chgate's admin, on its own channel: the client port refuses named-collection DDL.
        var admin = new io.chgate.vault.EngineAdminChannel(GatewayLauncher.embeddedEngine(config));
        admin.execute("DROP NAMED COLLECTION IF EXISTS embedded_shop_pg");
        admin.execute("CREATE NAMED COLLECTION embedded_shop_pg AS host = '127.0.0.1' NOT OVERRIDABLE, port = "
                + stack.pgPort() + " NOT OVERRIDABLE, user = '" + stack.pgUser() + "' NOT OVERRIDABLE, password = '"
                + stack.pgPassword() + "' NOT OVERRIDABLE, database = 'shop' NOT OVERRIDABLE, table = ''");
        send("POST", "/", "CREATE TABLE IF NOT EXISTS customers (name String, segment String) ENGINE = MergeTree ORDER BY name");
        send("POST", "/", "TRUNCATE TABLE customers");
        send("POST", "/?query=" + enc("INSERT INTO customers FORMAT TSV"), "alice\tgold\nbob\tsilver\ncarol\tgold\n");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Response send(String method, String target, String body, RawHttp.Header... headers) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", server.address().getPort())) {
            return c.exchange(RawHttp.request(method, target, List.of(headers),
                    body == null ? null : body.getBytes(StandardCharsets.UTF_8)), method.equals("HEAD"));
        }
    }

    @Test
    void theWholeProductPathJoinsClickHouseWithRealPostgres() throws IOException {
        String bi = "SELECT c.segment, sum(o.amount) AS revenue FROM customers AS c JOIN postgresql('127.0.0.1:"
                + stack.pgPort() + "', 'shop', 'orders', 'bi_tool', 'no password here') AS o ON o.customer = c.name "
                + "GROUP BY c.segment ORDER BY c.segment";
        Response r = send("GET", q(bi), null);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("gold\t112.49\nsilver\t7.25\n");
    }

    /** The gateway fetching credentials from OpenBao itself, as dev/run's demo does, and failing clearly without them. */
    @Test
    void credentialsComeFromVaultAndAMissingSecretIsAClearError() throws Exception {
        io.chgate.vault.VaultClient.withToken(stack.vaultAddr(), stack.vaultToken()).writeKv2("secret",
                "chgate-test/gateway_pg", Map.of("username", stack.pgUser(), "password", stack.pgPassword()));
        GatewayConfig config = EmbeddedGateway.config(Map.of("CHGATE_VAULT_ADDRESS", stack.vaultAddr(),
                "CHGATE_VAULT_TOKEN", stack.vaultToken()));
        config.integrations.add(integration("gateway_pg", "shop", "chgate-test/gateway_pg"));
        config.integrations.add(integration("gateway_missing", "postgres", "chgate-test/does-not-exist"));
        var credentials = io.chgate.gateway.credentials.ManagedCredentials.start(config,
                new io.chgate.vault.EngineAdminChannel(GatewayLauncher.embeddedEngine(config)));
        try (GatewayServer managed = GatewayLauncher.start(config,
                RewritingInterceptor.fromConfig(config, 1, credentials));
                RawHttp c = new RawHttp("127.0.0.1", managed.address().getPort())) {
            Response rows = c.exchange(RawHttp.request("GET", q("SELECT count() FROM postgresql('127.0.0.1:"
                    + stack.pgPort() + "', 'shop', 'orders', 'any', '')"), List.of(), null), false);
            assertThat(rows.bodyText()).isEqualTo("3\n");
            Response missing = c.exchange(RawHttp.request("GET", q("SELECT count() FROM postgresql('127.0.0.1:"
                    + stack.pgPort() + "', 'postgres', 'orders', 'any', '')"), List.of(), null), false);
            assertThat(missing.status()).isEqualTo(503);
            assertThat(missing.header("X-ClickHouse-Exception-Code")).isEqualTo("210");
            assertThat(missing.bodyText()).startsWith("Code: 210. DB::Exception: chgate: integration 'gateway_missing' "
                    + "has no valid credentials: Vault answered 404").doesNotContain(stack.vaultToken());
        } finally {
            credentials.close();
        }
    }

    private static GatewayConfig.Integration integration(String name, String database, String kvPath) {
        GatewayConfig.Integration i = new GatewayConfig.Integration();
        i.name = name;
        i.source = "postgresql";
        i.address = "127.0.0.1:" + stack.pgPort();
        i.database = database;
        i.credentials = new GatewayConfig.Credentials();
        i.credentials.kv = new GatewayConfig.Kv();
        i.credentials.kv.path = kvPath;
        return i;
    }

    @Test
    void queryInUrlBodyOrSplit() throws IOException {
        assertThat(send("GET", q("SELECT 1 + 1"), null).bodyText()).isEqualTo("2\n");
        assertThat(send("POST", "/", "SELECT 'body'").bodyText()).isEqualTo("body\n");
        assertThat(send("POST", q("SELECT count() FROM"), "customers").bodyText()).isEqualTo("3\n");
    }

    @Test
    void formatsDatabaseSettingsAndParameters() throws IOException {
        Response json = send("GET", q("SELECT 7 AS n") + "&default_format=JSONEachRow", null);
        assertThat(json.bodyText()).isEqualTo("{\"n\":7}\n");
        assertThat(json.header("X-ClickHouse-Format")).isEqualTo("JSONEachRow");
        assertThat(json.header("Content-Type")).isEqualTo("application/json; charset=UTF-8");
        Response clause = send("GET", q("SELECT 7 AS n FORMAT CSVWithNames"), null);
        assertThat(clause.bodyText()).isEqualTo("\"n\"\n7\n");
        assertThat(clause.header("X-ClickHouse-Format")).isEqualTo("CSVWithNames");
        assertThat(send("GET", q("SELECT currentDatabase(), getSetting('max_threads')") + "&database=system&max_threads=3",
                null).bodyText()).isEqualTo("system\t3\n");
        assertThat(send("GET", q("SELECT currentDatabase()"), null).bodyText())
                .as("database and settings do not leak into the next statement").isEqualTo("default\n");
        assertThat(send("GET", q("SELECT {id:UInt32} * 2, {name:String}") + "&param_id=21&param_name=x%27y", null)
                .bodyText()).isEqualTo("42\tx\\'y\n");
    }

    @Test
    void insertsWithDataInTheBody() throws IOException {
        send("POST", "/", "CREATE TABLE IF NOT EXISTS ins (x UInt32) ENGINE = Memory");
        send("POST", "/", "TRUNCATE TABLE ins");
        assertThat(send("POST", q("INSERT INTO ins FORMAT TSV"), "1\n2\n").status()).isEqualTo(200);
        assertThat(send("POST", "/", "INSERT INTO ins FORMAT TSV\n3\n").status()).isEqualTo(200);
        assertThat(send("POST", "/", "INSERT INTO ins VALUES (4), (5)").status()).isEqualTo(200);
        assertThat(send("GET", q("SELECT sum(x), count() FROM ins"), null).bodyText()).isEqualTo("15\t5\n");
    }

    @Test
    void queryIdErrorsAndPing() throws IOException {
        assertThat(send("GET", q("SELECT 1") + "&query_id=my-id-7", null).header("X-ClickHouse-Query-Id"))
                .isEqualTo("my-id-7");
        Response unknown = send("GET", q("SELECT * FROM no_such_table"), null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("X-ClickHouse-Exception-Code")).isEqualTo("60");
        assertThat(unknown.bodyText()).startsWith("Code: 60. DB::Exception: ");
        Response syntax = send("GET", q("SELECT (1"), null);
        assertThat(syntax.status()).isEqualTo(400);
        assertThat(syntax.header("X-ClickHouse-Exception-Code")).isEqualTo("62");
        assertThat(send("GET", "/ping", null).bodyText()).isEqualTo("Ok.\n");
    }

    @Test
    void aLargeResultStreams() throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", server.address().getPort())) {
            c.send(RawHttp.request("GET", q("SELECT number, toString(number * 7) FROM numbers(6000000)"), List.of(), null));
            Response r = c.read(false, true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.complete()).isTrue();
            assertThat(r.bodyLength()).isEqualTo(Long.parseLong(send("GET", q("SELECT sum(length(toString(number)) + "
                    + "length(toString(number * 7)) + 2) FROM numbers(6000000)"), null).bodyText().trim()));
        }
    }

    static Response sendBytes(String target, byte[] body, RawHttp.Header... headers) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", server.address().getPort())) {
            return c.exchange(RawHttp.request("POST", target, List.of(headers), body), false);
        }
    }

    /** Finding E1: the data was joined to the statement's text, and the engine ran what followed an empty line. */
    @Test
    void insertDataIsDataNeverSql() throws IOException {
        send("POST", "/", "CREATE TABLE IF NOT EXISTS e1 (x String) ENGINE = Memory");
        send("POST", "/", "TRUNCATE TABLE e1");
        send("POST", "/", "CREATE TABLE IF NOT EXISTS e1_side (x UInt8) ENGINE = Memory");
        send("POST", "/", "TRUNCATE TABLE e1_side");
        Response r = send("POST", q("INSERT INTO e1 FORMAT TSV"), "a\n\nINSERT INTO e1_side VALUES (1)\n\nb\n");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(send("GET", q("SELECT count() FROM e1_side"), null).bodyText()).isEqualTo("0\n");
        assertThat(send("GET", q("SELECT count() FROM e1"), null).bodyText()).isEqualTo("5\n");
    }

    @Test
    void binaryInsertDataArrivesWhole() throws IOException {
        send("POST", "/", "CREATE TABLE IF NOT EXISTS rb (id UInt32, s String) ENGINE = Memory");
        send("POST", "/", "TRUNCATE TABLE rb");
        java.io.ByteArrayOutputStream rows = new java.io.ByteArrayOutputStream();
        int n = 200_000;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            int id = i % 3 == 0 ? 0x0A0A0A0A : i;   // empty lines as bytes, everywhere
            sum += Integer.toUnsignedLong(id);
            rows.write(id);
            rows.write(id >>> 8);
            rows.write(id >>> 16);
            rows.write(id >>> 24);
            rows.write(2);
            rows.write('\n');
            rows.write('\n');
        }
        Response r = sendBytes(q("INSERT INTO rb FORMAT RowBinary"), rows.toByteArray());
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.header("X-ClickHouse-Summary")).contains("\"written_rows\":\"" + n + "\"");
        assertThat(send("GET", q("SELECT count(), sum(id), countIf(s = '\\n\\n') FROM rb"), null).bodyText())
                .isEqualTo(n + "\t" + sum + "\t" + n + "\n");
    }

    @Test
    void oneStatementPerRequestAsOnTheServer() throws IOException {
        Response r = send("POST", "/", "SELECT 1; SELECT 2");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("62");
        assertThat(send("POST", "/", "SELECT 3;").bodyText()).isEqualTo("3\n");
    }

    /** The header chgate's upstream connections put on every request to the engine's port. */
    static RawHttp.Header engineKey() {
        var headers = new io.netty.handler.codec.http.DefaultHttpHeaders();
        server.upstreamKey().addTo(headers);
        return new RawHttp.Header(EngineKey.HEADER.toString(), headers.get(EngineKey.HEADER));
    }

    /**
     * Issue 21 row 3: the engine's loopback port ran SQL for anyone on the machine, as chgate's OS user. Without the
     * engine's key, or with a wrong one, a request is refused with 516 before the engine sees it: the file is not
     * read, the table is not created, and a request pipelined after it on the same connection is not served.
     */
    @Test
    void theEnginePortServesNoOneWithoutTheKey() throws IOException {
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("chgate-engine-port", ".secret");
        java.nio.file.Files.writeString(secret, "the-secret-line\n");
        java.net.URI engine = java.net.URI.create(server.upstreamUrl());
        String readFile = "SELECT any(line) FROM file('" + secret + "', 'LineAsString')";
        String createTable = "CREATE TABLE intruder_table (x UInt8) ENGINE = Memory";
        String shadow = "SELECT count() FROM file('/etc/shadow', 'LineAsString')";
        List<List<RawHttp.Header>> presented = List.of(List.of(),
                List.of(new RawHttp.Header("X-Chgate-Engine-Key", "0".repeat(64))),
                List.of(new RawHttp.Header("X-Chgate-Engine-Key", "")),
                List.of(new RawHttp.Header("X-ClickHouse-User", "default")));
        for (List<RawHttp.Header> headers : presented) {
            for (String attack : List.of(readFile, createTable, shadow)) {
                Response r;
                try (RawHttp c = new RawHttp(engine.getHost(), engine.getPort())) {
                    r = c.exchange(RawHttp.request("POST", "/", headers, attack.getBytes(StandardCharsets.UTF_8)),
                            false);
                }
                assertThat(r.status()).as(attack + " " + headers).isEqualTo(403);
                assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("516");
                assertThat(r.bodyText()).startsWith("Code: 516. DB::Exception: chgate: ")
                        .doesNotContain("the-secret-line");
                try (RawHttp c = new RawHttp(engine.getHost(), engine.getPort())) {
                    r = c.exchange(RawHttp.request("GET", q(attack), headers, null), false);
                }
                assertThat(r.header("X-ClickHouse-Exception-Code")).as(attack + " in the URL").isEqualTo("516");
            }
        }
        // a request pipelined behind a refused one on the same connection is not served either
        try (java.net.Socket socket = new java.net.Socket(engine.getHost(), engine.getPort())) {
            socket.setSoTimeout(10_000);
            java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
            both.write(RawHttp.request("POST", "/", List.of(), "SELECT 1".getBytes(StandardCharsets.UTF_8)));
            both.write(RawHttp.request("POST", "/", List.of(), createTable.getBytes(StandardCharsets.UTF_8)));
            socket.getOutputStream().write(both.toByteArray());
            String answered = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answered).startsWith("HTTP/1.1 403").contains("Code: 516").doesNotContain("HTTP/1.1 200");
        }
        assertThat(send("POST", "/", "EXISTS TABLE intruder_table").bodyText()).isEqualTo("0\n");
        // /ping runs nothing and is answered for anyone, as ClickHouse answers it
        try (RawHttp c = new RawHttp(engine.getHost(), engine.getPort())) {
            assertThat(c.exchange(RawHttp.request("GET", "/ping", List.of(), null), false).bodyText())
                    .isEqualTo("Ok.\n");
        }
        java.nio.file.Files.delete(secret);
    }

    /**
     * A client cannot bring its own engine key through the gateway (it is replaced with the real one), and the key
     * never comes back in a response.
     */
    @Test
    void theGatewayPutsTheKeyOnAndNeverShowsIt() throws IOException {
        String key = engineKey().value();
        Response r = send("POST", "/", "SELECT 42", new RawHttp.Header("X-Chgate-Engine-Key", "0".repeat(64)));
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("42\n");
        Response failed = send("POST", "/", "SELECT throwIf(1)");
        for (Response each : List.of(r, failed)) {
            assertThat(each.bodyText()).doesNotContain(key);
            assertThat(each.headers().toString()).doesNotContain(key);
        }
        assertThat(server.upstreamKey().toString()).doesNotContain(key);
    }

    /**
     * Finding H1: the engine's loopback port ran whatever reached it as its one all-powerful user. Sent straight to
     * that port, past the gateway, a named collection pointing elsewhere was created and the server managed.
     */
    @Test
    void theEnginePortRefusesWhatTheGatewayRefuses() throws IOException {
        java.net.URI engine = java.net.URI.create(server.upstreamUrl());
        for (String attack : List.of(
                "CREATE NAMED COLLECTION redirected AS host = '127.0.0.9', port = 5432",
                "ALTER NAMED COLLECTION embedded_shop_pg SET host = '127.0.0.9'",
                "CREATE USER intruder IDENTIFIED WITH plaintext_password BY 'x'",
                "SYSTEM DROP DNS CACHE",
                "SELECT 1 INTO OUTFILE 'stolen.tsv'")) {
            Response r;
            try (RawHttp c = new RawHttp(engine.getHost(), engine.getPort())) {
                r = c.exchange(RawHttp.request("POST", "/", List.of(engineKey()),
                        attack.getBytes(StandardCharsets.UTF_8)), false);
            }
            assertThat(r.status()).as(attack).isEqualTo(403);
            assertThat(r.header("X-ClickHouse-Exception-Code")).as(attack).isEqualTo("497");
            assertThat(r.bodyText()).as(attack).startsWith("Code: 497. DB::Exception: chgate: ");
        }
        assertThat(send("POST", "/", "SELECT count() FROM system.named_collections WHERE name = 'redirected'")
                .bodyText()).isEqualTo("0\n");
    }

    /** Finding H4: SET and USE outside a session changed what later requests, anyone's, saw. */
    @Test
    void setAndUseDoNotOutliveTheirRequest() throws IOException {
        for (int i = 0; i < 8; i++) {
            assertThat(send("POST", "/", "SET max_result_rows = 1, result_overflow_mode = 'throw'").status()).isEqualTo(200);
            assertThat(send("POST", "/", "USE system").status()).isEqualTo(200);
        }
        for (int i = 0; i < 8; i++) {
            assertThat(send("GET", q("SELECT number FROM numbers(3)"), null).bodyText()).isEqualTo("0\n1\n2\n");
            assertThat(send("GET", q("SELECT currentDatabase()"), null).bodyText()).isEqualTo("default\n");
        }
    }

    /** Finding C11 (and E3): the engine reads the body the gateway inspected, decoded the same way. */
    @Test
    void encodedBodiesAreDecodedAsTheGatewayReadThem() throws IOException {
        Response gz = sendBytes("/", TransparencyTest.gzip("SELECT 'gz'"), new RawHttp.Header("Content-Encoding", "gzip"));
        assertThat(gz.bodyText()).isEqualTo("gz\n");
        Response zl = sendBytes("/", TransparencyTest.deflate("SELECT 'zl'"),
                new RawHttp.Header("Content-Encoding", "deflate"));
        assertThat(zl.bodyText()).isEqualTo("zl\n");
        Response unknown = sendBytes(q("SELECT 1"), "x".getBytes(StandardCharsets.UTF_8),
                new RawHttp.Header("Content-Encoding", "compress"));
        assertThat(unknown.header("X-ClickHouse-Exception-Code")).isEqualTo("89");
    }

    /**
     * Finding E2: the engine formats each streamed chunk as a complete output, so headers repeated every ~65k rows.
     * Every format's answer for 1,000,000 rows must equal the engine's own single-shot output, byte for byte.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"JSON", "JSONCompact", "CSVWithNames",
        "TSVWithNamesAndTypes", "RowBinaryWithNamesAndTypes", "Parquet", "Arrow", "ArrowStream", "XML", "Markdown",
        "JSONEachRow", "TSV", "RowBinary", "Native"})
    void aLargeResultIsOneOutputOfItsFormat(String format) throws IOException {
        // No statistics: JSON's elapsed time differs from run to run.
        String sql = "SELECT number, toString(number * 3) AS s FROM numbers(1000000)"
                + " SETTINGS output_format_write_statistics = 0";
        byte[] expected = GatewayLauncher.embeddedEngine(configForEngine())
                .query(sql, format).data();
        try (RawHttp c = new RawHttp("127.0.0.1", server.address().getPort())) {
            c.send(RawHttp.request("GET", q(sql) + "&default_format=" + format, List.of(), null));
            Response r = c.read(false, false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(java.util.Arrays.equals(r.body(), expected)).as(format + ": " + r.body().length + " bytes, "
                    + expected.length + " expected").isTrue();
        }
    }

    static GatewayConfig configForEngine() {
        return EmbeddedGateway.config(Map.of());
    }

    static byte[] compress(String encoding, byte[] plain) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.io.OutputStream c = switch (encoding) {
            // lz4-java's frame writer: Commons Compress's pure-Java LZ4 compressor takes seconds for this
            case "lz4" -> new net.jpountz.lz4.LZ4FrameOutputStream(out);
            case "xz" -> new org.apache.commons.compress.compressors.xz.XZCompressorOutputStream(out);
            case "bz2" -> new org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream(out);
            case "snappy" -> new org.apache.commons.compress.compressors.snappy.SnappyCompressorOutputStream(out,
                    plain.length);
            default -> throw new IllegalArgumentException(encoding);
        }) {
            c.write(plain);
        }
        return out.toByteArray();
    }

    /**
     * Finding B1: clickhouse-connect's default insert is an lz4 body with the query inside; chgate refused every
     * lz4, xz, bz2 and snappy body it had to read. Now it reads them (and the engine decodes them the same way).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"lz4", "xz", "bz2", "snappy"})
    void everyContentEncodingClickHouseTakesIsRead(String encoding) throws IOException {
        RawHttp.Header header = new RawHttp.Header("Content-Encoding", encoding);
        assertThat(sendBytes("/", compress(encoding, ("SELECT '" + encoding + "'").getBytes(StandardCharsets.UTF_8)),
                header).bodyText()).isEqualTo(encoding + "\n");
        send("POST", "/", "CREATE TABLE IF NOT EXISTS enc_" + encoding + " (x UInt32) ENGINE = Memory");
        send("POST", "/", "TRUNCATE TABLE enc_" + encoding);
        StringBuilder insert = new StringBuilder("INSERT INTO enc_" + encoding + " FORMAT TSV\n");
        for (int i = 1; i <= 50_000; i++) {
            insert.append(i).append('\n');
        }
        Response inserted = sendBytes("/", compress(encoding, insert.toString().getBytes(StandardCharsets.UTF_8)),
                header);
        assertThat(inserted.status()).as(inserted.bodyText()).isEqualTo(200);
        assertThat(send("GET", q("SELECT count(), sum(x) FROM enc_" + encoding), null).bodyText())
                .isEqualTo("50000\t1250025000\n");
        Response refused = sendBytes("/", compress(encoding, "SELECT * FROM mysql('127.0.0.1:1', 'd', 't', 'u', 'p')"
                .getBytes(StandardCharsets.UTF_8)), header);
        assertThat(refused.status()).as(refused.bodyText()).isEqualTo(403);
    }

    /**
     * Finding H2: four abandoned slow statements held every engine connection for their whole run. A client that
     * goes away now stops its statement, so the next client is served within seconds, not after 30.
     */
    @Test
    void abandonedStatementsStopAndFreeTheEngine() throws Exception {
        String slow = q("SELECT sum(sleep(1)) FROM numbers(30) SETTINGS max_block_size = 1");
        for (int i = 0; i < 4; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.address().getPort())) {
                s.getOutputStream().write(("GET " + slow + " HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                Thread.sleep(300);
            }   // closed: the client gave up
        }
        long start = System.nanoTime();
        assertThat(send("GET", q("SELECT 'served'"), null).bodyText()).isEqualTo("served\n");
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertThat(seconds).as("seconds until the next client was served").isLessThan(15);
    }

    /**
     * Finding E8: session_id was ignored and state leaked between clients. A session now keeps its state for its own
     * requests, every one of them, and no one else sees it.
     */
    @Test
    void sessionsKeepTheirStateToThemselves() throws IOException {
        String a = "&session_id=e8-a-" + ProcessHandle.current().pid();
        String b = "&session_id=e8-b-" + ProcessHandle.current().pid();
        assertThat(send("POST", "/?" + a.substring(1), "SET max_threads = 3").status()).isEqualTo(200);
        assertThat(send("POST", "/?" + a.substring(1), "USE system").status()).isEqualTo(200);
        assertThat(send("POST", "/?" + a.substring(1), "CREATE TEMPORARY TABLE tmp_e8 (x UInt8)").status())
                .isEqualTo(200);
        assertThat(send("POST", "/?" + a.substring(1), "INSERT INTO tmp_e8 VALUES (1), (2)").status()).isEqualTo(200);
        for (int i = 0; i < 4; i++) {
            assertThat(send("GET", q("SELECT getSetting('max_threads'), currentDatabase(), (SELECT count() FROM tmp_e8)")
                    + a, null).bodyText()).isEqualTo("3\tsystem\t2\n");
        }
        Response other = send("GET", q("SELECT count() FROM tmp_e8") + b, null);
        assertThat(other.status()).isEqualTo(404);
        assertThat(send("GET", q("SELECT currentDatabase()"), null).bodyText()).isEqualTo("default\n");
        Response missing = send("GET", q("SELECT 1") + "&session_id=e8-none&session_check=1", null);
        assertThat(missing.header("X-ClickHouse-Exception-Code")).isEqualTo("372");
        assertThat(send("GET", q("SELECT 1") + a + "&close_session=1", null).bodyText()).isEqualTo("1\n");
        assertThat(send("GET", q("SELECT 1") + a + "&session_check=1", null).header("X-ClickHouse-Exception-Code"))
                .isEqualTo("372");
    }

    /**
     * clickhouse-go sends client_protocol_version and decodes Native at that revision; libchdb writes revision 0.
     * Each block must gain its BlockInfo (and field 3 from revision 54480) and each column a "no custom
     * serialization" byte, with the data untouched, wherever the engine's chunks cut the blocks. (That a real
     * decoder reads every common type right is ClientConformanceTest's Go session.)
     */
    @Test
    void nativeIsWrittenForTheClientsProtocolRevision() throws IOException {
        String sql = "SELECT number AS n, toString(number) AS s, [number, 1] AS a, toLowCardinality(toString(number % 3))"
                + " AS lc FROM numbers(20) SETTINGS max_block_size = 7 FORMAT Native";
        byte[] engine = send("GET", q(sql), null).body();
        Response forGo = send("GET", q(sql) + "&client_protocol_version=54460", null);
        Response newer = send("GET", q(sql) + "&client_protocol_version=54513", null);
        int blocks = 3;
        assertThat(forGo.status()).as(forGo.bodyText()).isEqualTo(200);
        assertThat(forGo.body()).hasSize(engine.length + blocks * (8 + 4));
        assertThat(java.util.Arrays.copyOf(forGo.body(), 8)).containsExactly(1, 0, 2, -1, -1, -1, -1, 0);
        assertThat(newer.body()).hasSize(engine.length + blocks * (10 + 4));
        assertThat(java.util.Arrays.copyOf(newer.body(), 10)).containsExactly(1, 0, 2, -1, -1, -1, -1, 3, 0, 0);

        io.chgate.gateway.codec.NativeRevision byteByByte = new io.chgate.gateway.codec.NativeRevision(54460);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte b : engine) {
            out.writeBytes(byteByByte.convert(new byte[] {b}));
        }
        byteByByte.finish();
        assertThat(out.toByteArray()).isEqualTo(forGo.body());
    }

    /** A type whose Native encoding depends on the revision is refused before anything is sent, never guessed. */
    @Test
    void nativeWithATypeTheRevisionWalkerDoesNotKnowIsRefusedWhole() throws IOException {
        Response r = send("GET", q("SELECT 1::Dynamic AS d FORMAT Native") + "&client_protocol_version=54460", null);
        assertThat(r.status()).isEqualTo(501);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("48");
        assertThat(r.bodyText()).contains("Dynamic");
        Response bad = send("GET", q("SELECT 1 FORMAT Native") + "&client_protocol_version=x", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.bodyText()).contains("client_protocol_version");
    }

    /**
     * An INSERT whose statement is in the URL streams its body into the engine as it arrives, decoded there in
     * ClickHouse's order (Content-Encoding, then decompress=1). A gzip body once hung the connection: its decoder
     * read the header on the event loop that was to deliver it.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"identity", "gzip", "deflate", "zstd", "lz4", "xz", "bz2",
        "snappy", "decompress=1", "gzip+decompress=1"})
    void aStreamedInsertIsDecodedAsClickHouseDecodesIt(String encoding) throws IOException {
        String table = "streamed_" + encoding.replaceAll("[^a-z0-9]", "_");
        send("POST", "/", "CREATE OR REPLACE TABLE " + table + " (n UInt32, s String) ENGINE = MergeTree ORDER BY n");
        StringBuilder tsv = new StringBuilder();
        for (int n = 0; n < 50_000; n++) {
            tsv.append(n).append("\tline\\n\\n").append(n).append('\n');
        }
        byte[] body = tsv.toString().getBytes(StandardCharsets.UTF_8);
        String target = q("INSERT INTO " + table + " FORMAT TSV");
        if (encoding.endsWith("decompress=1")) {
            body = io.chgate.gateway.codec.NativeBlocks.encode(body);
            target += "&decompress=1";
        }
        String contentEncoding = encoding.split("\\+")[0];
        body = switch (contentEncoding) {
            case "identity", "decompress=1" -> body;
            case "gzip" -> gzipBytes(body);
            case "deflate" -> {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                try (var z = new java.util.zip.DeflaterOutputStream(out)) {
                    z.write(body);
                }
                yield out.toByteArray();
            }
            case "zstd" -> com.github.luben.zstd.Zstd.compress(body);
            default -> compress(contentEncoding, body);
        };
        RawHttp.Header[] headers = contentEncoding.equals("decompress=1") ? new RawHttp.Header[0]
                : new RawHttp.Header[] {new RawHttp.Header("Content-Encoding", contentEncoding)};
        Response r = sendBytes(target, body, headers);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(send("GET", q("SELECT count(), sum(n), countIf(s = concat('line\\n\\n', toString(n))) FROM "
                + table), null).bodyText()).isEqualTo("50000\t1249975000\t50000\n");
        send("POST", "/", "DROP TABLE " + table);
    }

    /**
     * A streamed INSERT refused before the engine reads it (here: its session does not exist) must still have the
     * rest of its body read and dropped; held instead, 20 MiB would stall the connection past its 8 MiB high-water.
     * Sent to the engine's port itself: the gateway in front drops an upstream connection that answered early.
     */
    @Test
    void aStreamedInsertRefusedBeforeItsDataStillDrainsItsBody() {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            byte[] body = "1\tx\n".repeat(5 << 20).getBytes(StandardCharsets.UTF_8);
            java.net.URI engine = java.net.URI.create(server.upstreamUrl());
            try (RawHttp c = new RawHttp("127.0.0.1", engine.getPort())) {
                Response refused = c.exchange(RawHttp.request("POST", q("INSERT INTO customers FORMAT TSV")
                        + "&session_id=no-such-session&session_check=1", List.of(engineKey()), body), false);
                assertThat(refused.header("X-ClickHouse-Exception-Code")).isEqualTo("372");
                Response next = c.exchange(RawHttp.request("GET", q("SELECT 'same connection'"),
                        List.of(engineKey()), null), false);
                assertThat(next.bodyText()).isEqualTo("same connection\n");
            }
        });
    }

    static byte[] gzipBytes(byte[] plain) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }
}
