package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.admin.AdminServer;
import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.DataSize;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.observe.GatewayMetrics;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The response cache in front of the real ClickHouse 18.16 server. ClickHouse's own query log is the witness: a
 * statement answered from the cache never appears in it. Gateway users map to the stack's ClickHouse login; each test
 * marks its statements with a fresh word so its count is its own.
 */
class ResponseCacheTest {
    static LocalStack stack;
    static GatewayServer gateway;
    static AdminServer admin;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        Path passwordFile = StackLogin.passwordFile(stack);
        GatewayConfig config = new ConfigLoader(Map.of("CHGATE_UPSTREAM_URL", stack.clickhouseHttpUrl()))
                .flag("listen", "127.0.0.1:0", "test").load().config();
        config.adminListen = "127.0.0.1:0";
        config.caches.add(cache("shared", Duration.ofSeconds(60), Duration.ZERO, DataSize.ofMebibytes(64),
                DataSize.ofKibibytes(64)));
        config.caches.add(cache("graceful", Duration.ofSeconds(1), Duration.ofSeconds(30), DataSize.ofMebibytes(64),
                DataSize.ofMebibytes(1)));
        user(config, passwordFile, "alice", "shared", List.of());
        user(config, passwordFile, "carol", "shared", List.of());          // alice's rights: shares her answers
        user(config, passwordFile, "bob", "shared", List.of("url"));        // other rights: never shares
        user(config, passwordFile, "grace", "graceful", List.of());
        user(config, passwordFile, "nocache", "", List.of());
        user(config, passwordFile, "hasty", "shared", List.of());           // alice's rights, 1 s to run
        config.users.get(config.users.size() - 1).maxExecutionTime = Duration.ofSeconds(1);
        GatewayMetrics metrics = new GatewayMetrics();
        gateway = GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1), metrics);
        admin = AdminServer.start(config, metrics, null, stack.clickhouseHttpUrl());
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    static GatewayConfig.Cache cache(String name, Duration ttl, Duration grace, DataSize max, DataSize payload) {
        GatewayConfig.Cache c = new GatewayConfig.Cache();
        c.name = name;
        c.ttl = ttl;
        c.grace = grace;
        c.maxSize = max;
        c.maxPayloadSize = payload;
        return c;
    }

    static void user(GatewayConfig config, Path passwordFile, String name, String cache, List<String> sources)
            throws Exception {
        GatewayConfig.User u = StackLogin.user(stack, passwordFile, name);
        u.cache = cache;
        u.sources = new ArrayList<>(sources);
        config.users.add(u);
    }

    static HttpResponse<String> get(String user, String sql, String... extra) throws Exception {
        StringBuilder uri = new StringBuilder("http://127.0.0.1:" + gateway.address().getPort()
                + "/?log_queries=1&query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
        for (String e : extra) {
            uri.append('&').append(e);
        }
        return http.send(HttpRequest.newBuilder(URI.create(uri.toString()))
                .header("X-ClickHouse-User", user).header("X-ClickHouse-Key", user + "-pw").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String user, String sql) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.address().getPort()
                + "/?log_queries=1")).header("X-ClickHouse-User", user).header("X-ClickHouse-Key", user + "-pw")
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Statements holding {@code marker} that ClickHouse ran (finished or failed), from its query log. 18.16 adds a
     * statement's entry after its answer went out, so the count is read until it holds still for a second.
     */
    static int ran(String marker) throws Exception {
        int last = -1;
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            direct("SYSTEM FLUSH LOGS");
            int now = Integer.parseInt(direct("SELECT count() FROM system.query_log WHERE type >= 2 AND query LIKE '%"
                    + marker + "%' AND query NOT LIKE '%query_log%'").strip());
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofSeconds(1).toNanos()
                    || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(200);
        }
    }

    static String direct(String sql) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.clickhouseHttpUrl() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    static String marker() {
        return "m" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void aRepeatedSelectIsAnsweredWithoutReachingClickHouse() throws Exception {
        String m = marker();
        String sql = "SELECT '" + m + "' AS m, sum(number) FROM numbers(1000)";
        HttpResponse<String> first = get("alice", sql);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> again = get("alice", sql, "query_id=" + UUID.randomUUID(), "max_threads=1");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.headers().firstValue("X-Cache")).hasValue("HIT");
            assertThat(again.headers().firstValue("Age")).isPresent();
            assertThat(again.headers().firstValue("Content-Type"))
                    .isEqualTo(first.headers().firstValue("Content-Type"));
            assertThat(again.body()).isEqualTo(first.body());
        }
        HttpResponse<String> asPost = post("alice", sql);
        assertThat(asPost.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(asPost.body()).isEqualTo(first.body());
        assertThat(ran(m)).isEqualTo(1);
    }

    @Test
    void fiftyConcurrentMissesOfOneStatementRunItOnce() throws Exception {
        String m = marker();
        String sql = "SELECT '" + m + "', sleep(0.5)";
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(pool.submit((Callable<HttpResponse<String>>) () -> {
                    go.await();
                    return get("alice", sql);
                }));
            }
            go.countDown();
            String body = null;
            int misses = 0;
            for (Future<HttpResponse<String>> f : all) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                body = body == null ? r.body() : body;
                assertThat(r.body()).isEqualTo(body);
                misses += "MISS".equals(r.headers().firstValue("X-Cache").orElse("")) ? 1 : 0;
            }
            assertThat(misses).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(ran(m)).isEqualTo(1);
    }

    @Test
    void aRequestWaitingForTheSameStatementGivesUpAtItsOwnTimeLimit() throws Exception {
        String m = marker();
        String sql = "SELECT '" + m + "', sleep(2.5)";
        java.util.concurrent.CompletableFuture<HttpResponse<String>> leader =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return get("alice", sql);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        Thread.sleep(300);
        long start = System.nanoTime();
        HttpResponse<String> follower = get("hasty", sql);
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertThat(follower.statusCode()).as(follower.body()).isEqualTo(408);
        assertThat(follower.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("159");
        assertThat(waited).isBetween(900L, 2000L);
        assertThat(leader.get().statusCode()).isEqualTo(200);
        assertThat(get("hasty", sql).headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(ran(m)).isEqualTo(1);
    }

    @Test
    void usersWithOtherRightsNeverShareAnAnswer() throws Exception {
        String m = marker();
        String sql = "SELECT '" + m + "'";
        assertThat(get("alice", sql).headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get("carol", sql).headers().firstValue("X-Cache")).hasValue("HIT");   // the same rights
        assertThat(get("bob", sql).headers().firstValue("X-Cache")).hasValue("MISS");    // may read url(): not
        assertThat(get("bob", sql).headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(get("nocache", sql).headers().firstValue("X-Cache")).isEmpty();
        assertThat(ran(m)).isEqualTo(3);
    }

    @Test
    void anInsertThroughChgateMakesTheNextReadAMissWithTheNewRow() throws Exception {
        String table = "default.cache_" + marker();
        direct("CREATE TABLE " + table + " (n UInt64) ENGINE = MergeTree ORDER BY n");
        try {
            direct("INSERT INTO " + table + " VALUES (1)");
            String sql = "SELECT count(), sum(n) FROM " + table;
            assertThat(get("alice", sql).body()).isEqualTo("1\t1\n");
            assertThat(get("alice", sql).headers().firstValue("X-Cache")).hasValue("HIT");
            HttpResponse<String> insert = post("bob", "INSERT INTO " + table + " VALUES (41)");
            assertThat(insert.statusCode()).as(insert.body()).isEqualTo(200);
            HttpResponse<String> after = get("alice", sql);
            assertThat(after.headers().firstValue("X-Cache")).hasValue("MISS");
            assertThat(after.body()).isEqualTo("2\t42\n");
            HttpResponse<String> alter = post("alice", "ALTER TABLE " + table + " DELETE WHERE n = 41");
            assertThat(alter.statusCode()).as(alter.body()).isEqualTo(200);
            for (int i = 0; i < 50 && !"1\t1\n".equals(get("alice", sql).body()); i++) {
                Thread.sleep(100);   // a mutation applies after its statement returns: bounded by this wait
            }
            assertThat(get("alice", sql).body()).isEqualTo("1\t1\n");
        } finally {
            direct("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void nonDeterministicStatementsAreNeverCached() throws Exception {
        String m = marker();
        for (String sql : List.of("SELECT '" + m + "', now()", "SELECT '" + m + "', rand()",
                "SELECT '" + m + "', generateUUIDv4()")) {
            assertThat(get("alice", sql).headers().firstValue("X-Cache")).as(sql).hasValue("MISS");
            assertThat(get("alice", sql).headers().firstValue("X-Cache")).as(sql).hasValue("MISS");
        }
        assertThat(ran(m)).isEqualTo(6);
    }

    @Test
    void theClientOptsOutWithNoCacheOrCacheControl() throws Exception {
        String m = marker();
        String sql = "SELECT '" + m + "'";
        get("alice", sql);
        assertThat(get("alice", sql, "no_cache=1").headers().firstValue("X-Cache")).hasValue("MISS");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.address().getPort() + "/?log_queries=1&query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                .header("X-ClickHouse-User", "alice").header("X-ClickHouse-Key", "alice-pw")
                .header("Cache-Control", "no-cache").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(ran(m)).isEqualTo(3);
    }

    @Test
    void aSessionChgateDidNotSeeBeginIsNeverAnsweredFromTheCache() throws Exception {
        String m = marker();
        String sql = "SELECT '" + m + "' AS m, number FROM numbers(3)";
        String session = "s" + m;
        // This gateway started less than an hour ago: a session it did not see begin may hold state from before.
        assertThat(get("alice", sql, "session_id=" + session).headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get("alice", sql, "session_id=" + session).headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(ran(m)).isEqualTo(2);
    }

    @Test
    void formatAndCompressionAreInTheKeyAndAKeptAnswerKeepsItsEncoding() throws Exception {
        String m = marker();
        String sql = "SELECT '" + m + "' AS m, number FROM numbers(200)";
        String uri = "http://127.0.0.1:" + gateway.address().getPort() + "/?log_queries=1&enable_http_compression=1"
                + "&query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8);
        HttpRequest gzip = HttpRequest.newBuilder(URI.create(uri)).header("X-ClickHouse-User", "alice")
                .header("X-ClickHouse-Key", "alice-pw").header("Accept-Encoding", "gzip").GET().build();
        HttpResponse<byte[]> first = http.send(gzip, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> second = http.send(gzip, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(first.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(second.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String unzipped = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(second.body()))
                .readAllBytes(), StandardCharsets.UTF_8);
        HttpResponse<String> plain = get("alice", sql, "enable_http_compression=1");   // no Accept-Encoding
        assertThat(plain.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(unzipped).isEqualTo(plain.body());
        HttpResponse<String> json = get("alice", sql, "enable_http_compression=1", "default_format=JSONEachRow");
        assertThat(json.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(json.body()).startsWith("{");
        HttpResponse<String> csv = http.send(HttpRequest.newBuilder(URI.create(uri)).header("X-ClickHouse-User", "alice")
                .header("X-ClickHouse-Key", "alice-pw").header("X-ClickHouse-Format", "CSV").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(csv.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(ran(m)).isEqualTo(4);
    }

    @Test
    void errorsAreNotCached() throws Exception {
        String m = marker();
        String sql = "SELECT '" + m + "', throwIf(number = 3) FROM numbers(10)";
        HttpResponse<String> first = get("alice", sql);
        assertThat(first.statusCode()).isEqualTo(500);
        HttpResponse<String> second = get("alice", sql);
        assertThat(second.statusCode()).isEqualTo(500);
        assertThat(second.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(ran(m)).isEqualTo(2);
    }

    @Test
    void anAnswerOverMaxPayloadSizeStreamsWholeAndIsNotKept() throws Exception {
        String m = marker();
        String sql = "SELECT '" + m + "', number FROM numbers(100000)";   // ~4 MB, over the 64 KiB limit
        HttpResponse<String> first = get("alice", sql);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body().split("\n")).hasSize(100000);
        HttpResponse<String> second = get("alice", sql);
        assertThat(second.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(ran(m)).isEqualTo(2);
    }

    @Test
    void pastTtlTheStaleAnswerIsServedWhileOneRefreshRuns() throws Exception {
        String table = "default.cache_" + marker();
        direct("CREATE TABLE " + table + " (n UInt64) ENGINE = MergeTree ORDER BY n");
        try {
            direct("INSERT INTO " + table + " VALUES (1)");
            String sql = "SELECT count() FROM " + table;
            assertThat(get("grace", sql).body()).isEqualTo("1\n");
            direct("INSERT INTO " + table + " VALUES (2)");   // behind chgate's back: bounded by ttl
            assertThat(get("grace", sql).headers().firstValue("X-Cache")).hasValue("HIT");
            Thread.sleep(1300);
            HttpResponse<String> stale = get("grace", sql);
            assertThat(stale.headers().firstValue("X-Cache")).hasValue("STALE");
            assertThat(stale.body()).isEqualTo("1\n");
            HttpResponse<String> fresh = stale;
            for (int i = 0; i < 50 && !"2\n".equals(fresh.body()); i++) {
                Thread.sleep(50);
                fresh = get("grace", sql);
            }
            assertThat(fresh.body()).isEqualTo("2\n");
            assertThat(fresh.headers().firstValue("X-Cache")).hasValue("HIT");
            assertThat(ran(table)).isEqualTo(2);   // the first answer and one refresh
        } finally {
            direct("DROP TABLE IF EXISTS " + table);
        }
    }
}
