package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.gzip;
import static io.chgate.gateway.TransparencyTest.h;
import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.intercept.InterceptedQuery;
import io.chgate.gateway.intercept.QueryInterceptor;
import io.chgate.gateway.intercept.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The query as the interceptor sees it, and what reaches ClickHouse after its verdict, for every place a client can
 * put a query. The interceptor here is a test one with fixed rules; the real one is the SQL rewriter.
 */
class InterceptionTest {
    static final List<InterceptedQuery> seen = new CopyOnWriteArrayList<>();
    static GatewayUnderTest env;

    /** Rewrites {@code old_table} to {@code new_table}, refuses {@code forbidden}, delays {@code slow}. */
    static final QueryInterceptor RULES = query -> {
        seen.add(query);
        String sql = query.sql();
        if (sql.contains("forbidden")) {
            return CompletableFuture.completedFuture(new Verdict.Refuse(
                    new ClickHouseError(ErrorCode.ACCESS_DENIED, "chgate: this query is not allowed")));
        }
        if (sql.contains("explode")) {
            throw new IllegalStateException("interceptor bug with a secret s3cr3t inside");
        }
        Verdict verdict = sql.contains("old_table")
                ? new Verdict.Rewrite(sql.replace("old_table", "new_table"))
                : Verdict.PASS;
        if (sql.contains("slow")) {
            return CompletableFuture.supplyAsync(() -> verdict,
                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
        }
        return CompletableFuture.completedFuture(verdict);
    };

    @BeforeAll
    static void start() throws Exception {
        env = GatewayUnderTest.start(RULES, Map.of("CHGATE_LIMITS_MAX_QUERY_SIZE", "4KiB"));
        env.clickhouse("CREATE DATABASE IF NOT EXISTS chgate_interception");
        env.clickhouse("CREATE TABLE IF NOT EXISTS chgate_interception.old_table (id UInt64, s String) ENGINE = Memory");
        env.clickhouse("CREATE TABLE IF NOT EXISTS chgate_interception.new_table (id UInt64, s String) ENGINE = Memory");
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @BeforeEach
    void reset() {
        seen.clear();
        env.clickhouse("TRUNCATE TABLE chgate_interception.old_table");
        env.clickhouse("TRUNCATE TABLE chgate_interception.new_table");
        env.clickhouse("INSERT INTO chgate_interception.old_table VALUES (1, 'old')");
        env.clickhouse("INSERT INTO chgate_interception.new_table VALUES (2, 'new')");
    }

    private Response send(String method, String target, byte[] body, RawHttp.Header... headers) throws IOException {
        return env.proxied(RawHttp.request(method, target, List.of(headers), body), false);
    }

    private Response send(String method, String target, String body, RawHttp.Header... headers) throws IOException {
        return send(method, target, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    @Test
    void rewritesAQueryInTheUrl() throws IOException {
        Response r = send("GET", q("SELECT s FROM chgate_interception.old_table"), (byte[]) null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("new\n");
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("SELECT s FROM chgate_interception.old_table");
            assertThat(s.location()).isEqualTo(InterceptedQuery.Location.URL);
        });
    }

    @Test
    void rewritesAQueryInTheBodyAndCorrectsContentLength() throws IOException {
        Response r = send("POST", "/", "SELECT s FROM chgate_interception.old_table");
        assertThat(r.bodyText()).isEqualTo("new\n");
        assertThat(seen.get(0).location()).isEqualTo(InterceptedQuery.Location.BODY);
    }

    private static final String BOUNDARY = "----chgateFormBoundary";
    private static final RawHttp.Header FORM = h("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);

    @Test
    void rewritesAQueryInAFormFieldAndEmptiesTheField() throws IOException {
        byte[] body = TransparencyTest.form(BOUNDARY, TransparencyTest.field("query",
                "SELECT s FROM chgate_interception.old_table WHERE id NOT IN ext"), TransparencyTest.file("ext", "5\n"));
        Response r = send("POST", "/?ext_structure=x%20UInt64", body, FORM);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("new\n");
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("SELECT s FROM chgate_interception.old_table WHERE id NOT IN ext");
            assertThat(s.location()).isEqualTo(InterceptedQuery.Location.BODY);
        });
    }

    @Test
    void readsTheUrlQueryAndEveryFormFieldAsOneQuery() throws IOException {
        // ClickHouse runs "SELECT s FROM chgate_interception.old_table": no piece alone names the table.
        byte[] body = TransparencyTest.form(BOUNDARY, TransparencyTest.field("query", " chgate_interception."),
                TransparencyTest.field("query", "old_table"), TransparencyTest.file("ext", "5\n"));
        Response r = send("POST", q("SELECT s FROM") + "&ext_structure=x%20UInt64", body, FORM);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("new\n");
        assertThat(seen.get(0).sql()).isEqualTo("SELECT s FROM chgate_interception.old_table");
    }

    @Test
    void refusesAFormFieldQueryThePolicyRefuses() throws IOException {
        byte[] body = TransparencyTest.form(BOUNDARY, TransparencyTest.field("query", "SELECT 1 AS forbidden"));
        Response r = send("POST", "/", body, FORM);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
    }

    @Test
    void refusesAQueryFieldAfterALargeFileBeforeClickHouseSeesIt() throws IOException {
        // The late field would turn the checked "SELECT count() FROM ext" into a query the policy refuses.
        byte[] body = TransparencyTest.form(BOUNDARY, TransparencyTest.file("ext", "1\n".repeat(100_000)),
                TransparencyTest.field("query", " WHERE x IN (SELECT 1 AS forbidden)"));
        Response r = send("POST", q("SELECT count() FROM ext") + "&ext_structure=x%20UInt64", body, FORM);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).contains("query fields must come before the first file");
        assertThat(seen).singleElement().satisfies(s -> assertThat(s.sql()).isEqualTo("SELECT count() FROM ext"));
    }

    @Test
    void readsQueryFieldsAfterASmallFile() throws IOException {
        byte[] body = TransparencyTest.form(BOUNDARY, TransparencyTest.file("ext", "1\n"),
                TransparencyTest.field("query", "SELECT 1 AS forbidden FROM ext"));
        Response r = send("POST", "/?ext_structure=x%20UInt64", body, FORM);
        assertThat(r.status()).isEqualTo(403);
        assertThat(seen.get(0).sql()).isEqualTo("SELECT 1 AS forbidden FROM ext");
    }

    @Test
    void aFormWithAHugeFieldBeforeItsQueryIsTooLarge() throws IOException {
        byte[] body = TransparencyTest.form(BOUNDARY, TransparencyTest.field("log_comment", "x".repeat(64 * 1024)),
                TransparencyTest.field("query", "SELECT 1"));
        Response r = send("POST", "/", body, FORM);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.bodyText()).contains("limits.max_query_size");
    }

    @Test
    void aBodyThatIsNotWhatItsEncodingSaysIsRefusedWithAClickHouseError() throws IOException {
        Response r = send("POST", "/", "not really lz4: chgate must not guess", h("Content-Encoding", "lz4"));
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("271");
        assertThat(r.bodyText()).startsWith("Code: 271. DB::Exception: chgate cannot decode the lz4 request body");
        Response unknown = send("POST", "/", "SELECT 1", h("Content-Encoding", "compress"));
        assertThat(unknown.header("X-ClickHouse-Exception-Code")).isEqualTo("89");
        assertThat(seen).isEmpty();
    }

    @Test
    void rewritesAChunkedBody() throws IOException {
        byte[] chunked = RawHttp.chunked("SELECT s FROM chgate_interception.old_table".getBytes(StandardCharsets.UTF_8), 5);
        Response r = send("POST", "/", chunked, h("Transfer-Encoding", "chunked"));
        assertThat(r.bodyText()).isEqualTo("new\n");
    }

    @Test
    void rewritesAQuerySplitBetweenUrlAndBody() throws IOException {
        Response r = send("POST", q("SELECT s FROM"), " chgate_interception.old_table");
        assertThat(r.bodyText()).isEqualTo("new\n");
        assertThat(seen.get(0).sql()).isEqualTo("SELECT s FROM\n chgate_interception.old_table");
    }

    @Test
    void rewritesTheQueryOfAnInsertAndKeepsItsDataIntact() throws IOException {
        Response r = send("POST", "/", "INSERT INTO chgate_interception.old_table FORMAT TSV\n7\tseven\n8\teight\n");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(seen.get(0).sql()).isEqualTo("INSERT INTO chgate_interception.old_table FORMAT TSV\n");
        assertThat(env.clickhouse("SELECT id, s FROM chgate_interception.new_table ORDER BY id FORMAT TSV"))
                .isEqualTo("2\tnew\n7\tseven\n8\teight\n");
        assertThat(env.clickhouse("SELECT count() FROM chgate_interception.old_table")).isEqualTo("1\n");
    }

    @Test
    void insertDataInTheBodyIsNotPartOfTheQuery() throws IOException {
        Response r = send("POST", q("INSERT INTO chgate_interception.old_table FORMAT TSV"), "9\tnine\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(seen.get(0).sql()).isEqualTo("INSERT INTO chgate_interception.old_table FORMAT TSV");
        assertThat(env.clickhouse("SELECT id FROM chgate_interception.new_table ORDER BY id FORMAT TSV"))
                .isEqualTo("2\n9\n");
    }

    @Test
    void rewritesAGzipBody() throws IOException {
        Response r = send("POST", "/", gzip("SELECT s FROM chgate_interception.old_table"),
                h("Content-Encoding", "gzip"));
        assertThat(r.bodyText()).isEqualTo("new\n");
        assertThat(seen.get(0).sql()).isEqualTo("SELECT s FROM chgate_interception.old_table");
    }

    @Test
    void readsAndRewritesAQueryInsideADecompressBody() throws IOException {
        byte[] blocks = io.chgate.gateway.codec.NativeBlocks.encode(
                "SELECT s FROM chgate_interception.old_table".getBytes(StandardCharsets.UTF_8));
        Response r = send("POST", "/?decompress=1", blocks);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("new\n");
        assertThat(seen.get(0).sql()).isEqualTo("SELECT s FROM chgate_interception.old_table");
        assertThat(send("POST", "/?decompress=1", io.chgate.gateway.codec.NativeBlocks.encode(
                "SELECT 'untouched'".getBytes(StandardCharsets.UTF_8))).bodyText()).isEqualTo("untouched\n");
    }

    @Test
    void rewritesTheQueryOfACompressedInsertAndKeepsItsLaterBlocks() throws IOException {
        StringBuilder text = new StringBuilder("INSERT INTO chgate_interception.old_table FORMAT TSV\n");
        for (int i = 0; i < 200_000; i++) {
            text.append(10 + i).append("\tcompressed row\n");
        }
        byte[] blocks = io.chgate.gateway.codec.NativeBlocks.encode(text.toString().getBytes(StandardCharsets.UTF_8));
        Response r = send("POST", "/?decompress=1", blocks);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(env.clickhouse("SELECT count(), sum(id) FROM chgate_interception.new_table WHERE s = 'compressed row'"
                + " FORMAT TSV")).isEqualTo("200000\t" + (200_000L * 10 + 199_999L * 200_000 / 2) + "\n");
    }

    @Test
    void refusalIsAClickHouseErrorAndTheConnectionStaysUsable() throws IOException {
        try (RawHttp c = env.openProxied()) {
            Response refused = c.exchange(RawHttp.request("POST", "/", List.of(),
                    "SELECT 'forbidden'".getBytes(StandardCharsets.UTF_8)), false);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
            assertThat(refused.bodyText())
                    .isEqualTo("Code: 497. DB::Exception: chgate: this query is not allowed. (ACCESS_DENIED)\n");
            Response next = c.exchange(RawHttp.request("GET", q("SELECT 'after'"), List.of(), null), false);
            assertThat(next.bodyText()).isEqualTo("after\n");
        }
    }

    @Test
    void refusedInsertDiscardsItsDataAndNothingArrives() throws IOException {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            data.append(i).append("\tx\n");
        }
        try (RawHttp c = env.openProxied()) {
            Response refused = c.exchange(RawHttp.request("POST",
                    q("INSERT INTO chgate_interception.old_table /* forbidden */ FORMAT TSV"), List.of(),
                    data.toString().getBytes(StandardCharsets.UTF_8)), false);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(c.exchange(RawHttp.request("GET", q("SELECT 1"), List.of(), null), false).bodyText())
                    .isEqualTo("1\n");
        }
        assertThat(env.clickhouse("SELECT count() FROM chgate_interception.old_table")).isEqualTo("1\n");
    }

    @Test
    void aQueryOverTheLimitIsRefusedAs413() throws IOException {
        String big = "SELECT '" + "x".repeat(5000) + "'";
        Response r = send("POST", "/", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("229");
        assertThat(r.bodyText()).startsWith("Code: 229. DB::Exception: chgate: the query is larger than");
    }

    @Test
    void anInsertWhoseDataExceedsTheLimitStillPasses() throws IOException {
        StringBuilder data = new StringBuilder("INSERT INTO chgate_interception.old_table FORMAT TSV\n");
        for (int i = 0; i < 2000; i++) {
            data.append(1000 + i).append("\tbulk\n");
        }
        Response r = send("POST", "/", data.toString());
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(env.clickhouse("SELECT count() FROM chgate_interception.new_table WHERE s = 'bulk'"))
                .isEqualTo("2000\n");
    }

    @Test
    void seesTheUserByClickHousePrecedence() throws IOException {
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (env.authUser() + ":" + env.authPassword()).getBytes(StandardCharsets.UTF_8));
        send("GET", q("SELECT 1") + "&user=default", (byte[]) null, h("Authorization", basic));
        send("GET", q("SELECT 1"), (byte[]) null, h("X-ClickHouse-User", env.authUser()),
                h("X-ClickHouse-Key", env.authPassword()));
        send("GET", q("SELECT 1") + "&user=" + env.authUser() + "&password=" + env.authPassword(), (byte[]) null);
        send("GET", q("SELECT 1"), (byte[]) null);
        assertThat(seen).extracting(InterceptedQuery::user)
                .containsExactly(env.authUser(), env.authUser(), env.authUser(), "default");
    }

    @Test
    void waitsForAnAsynchronousVerdict() throws IOException {
        Response r = send("POST", "/", "SELECT s FROM chgate_interception.old_table WHERE s != 'slow'");
        assertThat(r.bodyText()).isEqualTo("new\n");
    }

    @Test
    void aFailingInterceptorGivesAnErrorWithoutItsDetails() throws IOException {
        Response r = send("GET", q("SELECT 'explode'"), (byte[]) null);
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.bodyText()).startsWith("Code: 210. DB::Exception: chgate could not decide on the query")
                .doesNotContain("s3cr3t");
    }

    @Test
    void pathsThatRunNoQueryAreNotInspected() throws IOException {
        assertThat(send("GET", "/ping", (byte[]) null).bodyText()).isEqualTo("Ok.\n");
        assertThat(seen).isEmpty();
    }
}
