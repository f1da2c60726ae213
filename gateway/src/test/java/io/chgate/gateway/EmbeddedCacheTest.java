package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.cli.GatewayLauncher;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The response cache on the embedded ClickHouse 26 engine, whose own {@code SelectedRows} event counter is the
 * witness of what ran (a statement that reads 10,000,000 rows of numbers() shows each run; chgate's own statements
 * read a few system rows). Users of one engine differ only in chgate's rights: alice and carol have the cache_pg integration, bob has
 * not; ownership keeps alice's objects hers, answers kept or not.
 */
class EmbeddedCacheTest {
    static LocalStack stack;
    static EmbeddedGateway gateway;
    static EmbeddedClickHouse engine;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        gateway = new EmbeddedGateway(stack)
                .integration("cache_pg", "postgresql", stack.pgPort(), "shop", stack.pgUser(), stack.pgPassword())
                .user("alice", "alice-pw", List.of("cache_pg"))
                .user("carol", "carol-pw", List.of("cache_pg"))
                .user("bob", "bob-pw", List.of())
                .user("dave", "dave-pw", List.of());
        GatewayConfig.Cache cache = new GatewayConfig.Cache();
        cache.name = "dashboards";
        gateway.config.caches.add(cache);
        gateway.config.users.forEach(u -> u.cache = "dashboards");
        GatewayConfig.Cache tiny = new GatewayConfig.Cache();
        tiny.name = "tiny";
        tiny.maxSize = io.chgate.gateway.config.DataSize.ofMebibytes(1);
        gateway.config.caches.add(tiny);
        gateway.config.users.stream().filter(u -> u.name.equals("dave")).forEach(u -> u.cache = "tiny");
        gateway.start();
        engine = GatewayLauncher.embeddedEngine(gateway.config);
        for (String sql : List.of("DROP TABLE IF EXISTS cache_alices", "DROP TABLE IF EXISTS cache_shared_view",
                "CREATE TABLE cache_alices (n UInt64) ENGINE = MergeTree ORDER BY n",
                "INSERT INTO cache_alices VALUES (1), (2)")) {
            Response r = gateway.post("alice", sql);
            assertThat(r.status()).as(sql + ": " + r.bodyText()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static long rowsRead() {
        return Long.parseLong(engine.queryText("SELECT value FROM system.events WHERE event = 'SelectedRows'", "TSV")
                .strip());
    }

    @Test
    void aRepeatedReadOfAnIntegrationIsAnsweredByChgateAlone() throws IOException {
        // Each run reads 10,000,000 rows of numbers() beside the integration: the engine's SelectedRows tells a run.
        String sql = "SELECT count(), (SELECT sum(number) FROM numbers(10000000))"
                + " FROM postgresql(cache_pg, table = 'orders') WHERE id > 0";
        Response first = gateway.post("alice", sql);
        assertThat(first.status()).as(first.bodyText()).isEqualTo(200);
        assertThat(first.header("X-Cache")).isEqualTo("MISS");
        long before = rowsRead();
        for (int i = 0; i < 5; i++) {
            Response again = gateway.post(i % 2 == 0 ? "alice" : "carol", sql);
            assertThat(again.header("X-Cache")).isEqualTo("HIT");
            assertThat(again.bodyText()).isEqualTo(first.bodyText());
        }
        assertThat(rowsRead() - before).as("rows the engine read meanwhile").isLessThan(10_000_000L);
    }

    @Test
    void fiftyConcurrentMissesRunOnceEvenPastTheUsersFairShare() throws Exception {
        // The witness is the rows the engine read (chgate's own statements meanwhile read a few system rows).
        String sql = "SELECT 'herd', (SELECT sum(number) FROM numbers(10000000)), sleep(0.5)";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(50);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Response>> all = new java.util.ArrayList<>();
            long before = rowsRead();
            for (int i = 0; i < 50; i++) {
                all.add(pool.submit(() -> {
                    go.await();
                    return gateway.post("carol", sql);
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<Response> f : all) {
                Response r = f.get();
                assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("herd\t49999995000000\t0\n");
            }
            long rowsRead = rowsRead() - before;
            assertThat(rowsRead).as("rows the engine read: one run reads 10,000,000")
                    .isBetween(10_000_000L, 19_999_999L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tenThousandDistinctAnswersStayWithinMaxSize() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> all = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int from = t * 1250;
                all.add(pool.submit(() -> {
                    int kept = 0;
                    for (int i = from; i < from + 1250; i++) {
                        Response r = gateway.post("dave", "SELECT " + i + " AS n, toString(range(60)) AS padding");
                        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
                        kept += "MISS".equals(r.header("X-Cache")) ? 1 : 0;
                    }
                    return kept;
                }));
            }
            int misses = 0;
            for (java.util.concurrent.Future<Integer> f : all) {
                misses += f.get();
            }
            assertThat(misses).isEqualTo(10_000);
        } finally {
            pool.shutdownNow();
        }
        String metrics = gateway.metrics.scrape();
        long bytes = (long) gauge(metrics, "chgate_cache_bytes{cache=\"tiny\"}");
        assertThat(bytes).isPositive().isLessThanOrEqualTo(1L << 20);
        assertThat(gauge(metrics, "chgate_cache_evictions_total{cache=\"tiny\"}")).isGreaterThan(1000);
        assertThat(gauge(metrics, "chgate_cache_entries{cache=\"tiny\"}")).isLessThan(10_000);
    }

    static double gauge(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l ->
                Double.parseDouble(l.substring(series.length() + 1).strip())).findFirst()
                .orElseThrow(() -> new AssertionError(series + " not in /metrics"));
    }

    @Test
    void aUserWithoutTheIntegrationGetsItsOwnRefusalNotTheKeptAnswer() throws IOException {
        String sql = "SELECT sum(id) FROM postgresql(cache_pg, table = 'orders') -- rights";
        assertThat(gateway.post("alice", sql).status()).isEqualTo(200);
        assertThat(gateway.post("alice", sql).header("X-Cache")).isEqualTo("HIT");
        Response bob = gateway.post("bob", sql);
        assertThat(bob.status()).isNotEqualTo(200);
        assertThat(bob.header("X-Cache")).isNull();
    }

    @Test
    void readsOfObjectsComputedAtReadTimeAreNeverKeptRenamedOrNot() throws IOException {
        for (String sql : List.of("DROP TABLE IF EXISTS cache_clock", "DROP TABLE IF EXISTS cache_clock2",
                "DROP TABLE IF EXISTS cache_clock_view",
                "CREATE TABLE cache_clock (n UInt64, t DateTime64(6) ALIAS now64(6)) ENGINE = MergeTree ORDER BY n",
                "INSERT INTO cache_clock (n) VALUES (1)",
                "CREATE VIEW cache_clock_view AS SELECT n, now64(6) AS t FROM cache_clock")) {
            Response r = gateway.post("alice", sql);
            assertThat(r.status()).as(sql + ": " + r.bodyText()).isEqualTo(200);
        }
        for (String read : List.of("SELECT n, t FROM cache_clock", "SELECT * FROM cache_clock_view")) {
            Response first = gateway.post("alice", read);
            Response second = gateway.post("alice", read);
            assertThat(second.header("X-Cache")).as(read).isEqualTo("MISS");
            assertThat(second.bodyText()).as(read).isNotEqualTo(first.bodyText());
        }
        assertThat(gateway.post("alice", "RENAME TABLE cache_clock TO cache_clock2").status()).isEqualTo(200);
        assertThat(gateway.post("alice", "SELECT n, t FROM cache_clock2").header("X-Cache")).isEqualTo("MISS");
        assertThat(gateway.post("alice", "SELECT n, t FROM cache_clock2").header("X-Cache")).isEqualTo("MISS");
    }

    @Test
    void aSessionIsAnsweredFromTheCacheUntilItGetsState() throws IOException {
        // The engine's sessions end with chgate's process: every session chgate sees, it saw begin.
        String read = "SELECT number * 2 AS n FROM numbers(3) -- in a session";
        String session = "cache-session-" + System.nanoTime();
        assertThat(inSession(session, read).header("X-Cache")).isEqualTo("MISS");
        assertThat(inSession(session, read).header("X-Cache")).isEqualTo("HIT");
        assertThat(inSession(session, "SET output_format_tsv_crlf_end_of_line = 1").status()).isEqualTo(200);
        Response changed = inSession(session, read);
        assertThat(changed.header("X-Cache")).isEqualTo("MISS");
        assertThat(changed.bodyText()).isEqualTo("0\r\n2\r\n4\r\n");   // the SET changed the answer's bytes
        assertThat(inSession(session, read).header("X-Cache")).isEqualTo("MISS");
        assertThat(gateway.post("alice", read).header("X-Cache")).isEqualTo("HIT");   // outside it: the kept one
    }

    static Response inSession(String session, String sql) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.port())) {
            return c.exchange(RawHttp.request("POST", "/?session_id=" + session, List.of(
                    new RawHttp.Header("X-ClickHouse-User", "alice"), new RawHttp.Header("X-ClickHouse-Key", "alice-pw")),
                    sql.getBytes(java.nio.charset.StandardCharsets.UTF_8)), false);
        }
    }

    @Test
    void ownershipHoldsInFrontOfTheCache() throws IOException {
        String sql = "SELECT sum(n) FROM cache_alices";
        assertThat(gateway.post("alice", sql).bodyText()).isEqualTo("3\n");
        assertThat(gateway.post("alice", sql).header("X-Cache")).isEqualTo("HIT");
        Response bob = gateway.post("bob", sql);
        assertThat(bob.status()).as(bob.bodyText()).isEqualTo(403);
        assertThat(bob.bodyText()).doesNotContain("3\n");
    }

    @Test
    void writesThroughChgateReachAnswersReadThroughAView() throws IOException {
        for (String sql : List.of("CREATE VIEW cache_shared_view AS SELECT sum(n) AS s FROM cache_alices")) {
            assertThat(gateway.post("alice", sql).status()).isEqualTo(200);
        }
        String read = "SELECT s FROM cache_shared_view";
        assertThat(gateway.post("alice", read).bodyText()).isEqualTo("3\n");
        assertThat(gateway.post("alice", read).header("X-Cache")).isEqualTo("HIT");
        assertThat(gateway.post("alice", "INSERT INTO cache_alices VALUES (10)").status()).isEqualTo(200);
        Response after = gateway.post("alice", read);
        assertThat(after.header("X-Cache")).isEqualTo("MISS");
        assertThat(after.bodyText()).isEqualTo("13\n");
        assertThat(gateway.post("alice", "ALTER TABLE cache_alices DELETE WHERE n = 10 SETTINGS mutations_sync = 1")
                .status()).isEqualTo(200);
        assertThat(gateway.post("alice", read).bodyText()).isEqualTo("3\n");
    }
}
