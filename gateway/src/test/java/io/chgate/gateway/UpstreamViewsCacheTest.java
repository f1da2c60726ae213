package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.chgate.gateway.catalog.ObjectCatalog;
import io.chgate.gateway.cli.GatewayLauncher;
import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.DataSize;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.observe.GatewayMetrics;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import io.chgate.vault.HttpAdminChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Views made directly on the ClickHouse 18.16 server, not through chgate — before it started, or while it runs — are
 * read from the server's catalog: a write through chgate to their table drops the answers read through them, and a
 * view over {@code now()} (or over such a view) is never kept. The cache's ttl is short (3 s), so the catalog is read
 * every 3 s; each read that must miss comes well within a ttl of the answer it must not reuse.
 */
class UpstreamViewsCacheTest {
    static final Duration TTL = Duration.ofSeconds(3);
    static LocalStack stack;
    static GatewayServer gateway;
    static String db;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        db = "catalog_" + UUID.randomUUID().toString().replace("-", "");
        for (String sql : List.of("CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".before_t (n UInt64) ENGINE = MergeTree ORDER BY n",
                "INSERT INTO " + db + ".before_t VALUES (1)",
                "CREATE VIEW " + db + ".before_v AS SELECT count() AS c, sum(n) AS s FROM " + db + ".before_t",
                "CREATE VIEW " + db + ".clock AS SELECT toUnixTimestamp(now()) AS n",
                "CREATE VIEW " + db + ".over_clock AS SELECT n FROM " + db + ".clock")) {
            direct(sql);
        }
        Path passwordFile = Files.createTempFile("chgate-ch-password", ".txt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, stack.clickhouseAuthPassword() + "\n");
        passwordFile.toFile().deleteOnExit();
        GatewayConfig config = new ConfigLoader(Map.of("CHGATE_UPSTREAM_URL", stack.clickhouseHttpUrl()))
                .flag("listen", "127.0.0.1:0", "test").load().config();
        config.caches.add(ResponseCacheTest.cache("short", TTL, Duration.ZERO,
                DataSize.ofMebibytes(16), DataSize.ofMebibytes(1)));
        GatewayConfig.User alice = new GatewayConfig.User();
        alice.name = "alice";
        alice.passwordSha256Hex = GatewayUsersTest.sha256("alice-pw");
        alice.clickhouse.user = stack.clickhouseAuthUser();
        alice.clickhouse.passwordFile = passwordFile.toString();
        alice.cache = "short";
        config.users.add(alice);
        gateway = GatewayLauncher.start(config, RewritingInterceptor.fromConfig(config, 1), new GatewayMetrics(),
                new HttpAdminChannel(URI.create(stack.clickhouseHttpUrl()), "default", ""));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        direct("DROP DATABASE IF EXISTS " + db);
    }

    /** A statement through chgate as alice; its answer must be a 200. */
    static HttpResponse<String> viaChgate(String sql) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.address().getPort() + "/")).header("X-ClickHouse-User", "alice")
                .header("X-ClickHouse-Key", "alice-pw").POST(HttpRequest.BodyPublishers.ofString(sql)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    /** A statement straight to the server, as its default user: behind chgate's back. */
    static void direct(String sql) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.clickhouseHttpUrl() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void anInsertThroughChgateReachesAnswersReadThroughAViewMadeBeforeItStarted() throws Exception {
        String sql = "SELECT c, s FROM " + db + ".before_v";
        HttpResponse<String> first = viaChgate(sql);
        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(first.body()).isEqualTo("1\t1\n");
        assertThat(viaChgate(sql).headers().firstValue("X-Cache")).hasValue("HIT");
        viaChgate("INSERT INTO " + db + ".before_t VALUES (41)");
        HttpResponse<String> after = viaChgate(sql);
        assertThat(after.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(after.body()).isEqualTo("2\t42\n");
    }

    @Test
    void aViewMadeDirectlyOnTheServerWhileChgateRunsIsLearntWithinATtl() throws Exception {
        for (String sql : List.of("CREATE TABLE " + db + ".after_t (n UInt64) ENGINE = MergeTree ORDER BY n",
                "INSERT INTO " + db + ".after_t VALUES (1), (2)",
                "CREATE VIEW " + db + ".after_v AS SELECT sum(n) AS s FROM " + db + ".after_t",
                "CREATE VIEW " + db + ".clock_after AS SELECT toUnixTimestamp(now()) AS n")) {
            direct(sql);
        }
        Thread.sleep(TTL.toMillis() + 1500);   // one read of the catalog and its query's time
        String sql = "SELECT s FROM " + db + ".after_v";
        assertThat(viaChgate(sql).headers().firstValue("X-Cache")).hasValue("MISS");
        HttpResponse<String> kept = viaChgate(sql);
        assertThat(kept.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(kept.body()).isEqualTo("3\n");
        viaChgate("INSERT INTO " + db + ".after_t VALUES (10)");
        HttpResponse<String> after = viaChgate(sql);
        assertThat(after.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(after.body()).isEqualTo("13\n");
        for (int i = 0; i < 2; i++) {
            assertThat(viaChgate("SELECT n FROM " + db + ".clock_after").headers().firstValue("X-Cache"))
                    .hasValue("MISS");
        }
    }

    @Test
    void aViewOverNowMadeOutsideChgateAndAViewOverItAreNeverKept() throws Exception {
        for (String view : List.of("clock", "over_clock")) {
            String sql = "SELECT n FROM " + db + "." + view;
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = viaChgate(sql);
                assertThat(r.headers().firstValue("X-Cache")).as(view).hasValue("MISS");
            }
        }
        String deterministic = "SELECT c FROM " + db + ".before_v WHERE c > 0";   // the same shape is kept
        viaChgate(deterministic);
        assertThat(viaChgate(deterministic).headers().firstValue("X-Cache")).hasValue("HIT");
    }

    @Test
    void aCatalogThatCannotBeReadLogsOneWarningWithoutItsLogin() throws Exception {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ObjectCatalog.class);
        logger.addAppender(logged);
        String password = "wrong-" + UUID.randomUUID();
        GatewayConfig config = new GatewayConfig();
        config.caches.add(ResponseCacheTest.cache("tiny", Duration.ofSeconds(1), Duration.ZERO,
                DataSize.ofMebibytes(1), DataSize.ofKibibytes(64)));
        io.chgate.gateway.cache.ResponseCaches caches = io.chgate.gateway.cache.ResponseCaches.fromConfig(config,
                null);
        try (ObjectCatalog catalog = ObjectCatalog.start(config, caches,
                new HttpAdminChannel(URI.create(stack.clickhouseHttpUrl()), "default", password))) {
            assertThat(catalog.awaitFirstRead(Duration.ofSeconds(10))).isTrue();
            Thread.sleep(2500);   // two more failed reads: still one warning
        } finally {
            logger.detachAppender(logged);
        }
        List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getFormattedMessage()).contains("ClickHouse error code")
                .doesNotContain(password);
        assertThat(caches.keepable(java.util.Set.of("clock"))).isTrue();   // nothing learnt, nothing changed
    }
}
