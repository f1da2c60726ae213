package io.chgate.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.chgate.gateway.observe.CacheMeters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The cache's semantics with a hand-driven clock: freshness and grace, the herd, bounds, invalidation and its races. */
class ResponseCacheUnitTest {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final Ticker ticker = nanos::get;

    ResponseCache cache(long maxSize, Duration ttl, Duration grace) {
        return new ResponseCache("test", maxSize, ttl, grace, 1 << 20, ticker, c -> CacheMeters.NONE);
    }

    CachedAnswer answer(String body, String... objects) {
        return new CachedAnswer(List.of(Map.entry("Content-Type", "text/plain")), body.getBytes(), Set.of(objects),
                nanos.get());
    }

    void store(ResponseCache cache, String key, CachedAnswer answer) {
        ResponseCache.Joined joined = cache.join(key);
        assertThat(joined.leads()).isTrue();
        cache.land(joined.flight(), answer);
    }

    @Test
    void anAnswerIsFreshForTtlThenStaleForGraceThenGone() {
        ResponseCache cache = cache(1 << 20, Duration.ofSeconds(10), Duration.ofSeconds(5));
        assertThat(cache.find("k")).isNull();
        store(cache, "k", answer("1\n", "t"));
        assertThat(cache.find("k").stale()).isFalse();
        nanos.addAndGet(Duration.ofSeconds(10).toNanos() + 1);
        assertThat(cache.find("k").stale()).isTrue();
        assertThat(cache.refresh("k")).isNotNull();
        assertThat(cache.refresh("k")).as("one refresh at a time").isNull();
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(cache.find("k")).isNull();
    }

    @Test
    void followersOfAFlightGetTheLeadersAnswerOrNothing() {
        ResponseCache cache = cache(1 << 20, Duration.ofSeconds(10), Duration.ZERO);
        ResponseCache.Joined leader = cache.join("k");
        ResponseCache.Joined follower = cache.join("k");
        assertThat(leader.leads()).isTrue();
        assertThat(follower.leads()).isFalse();
        assertThat(follower.flight()).isSameAs(leader.flight());
        AtomicReference<CachedAnswer> heard = new AtomicReference<>();
        follower.flight().await(Runnable::run, heard::set);
        CachedAnswer a = answer("x", "t");
        cache.land(leader.flight(), a);
        assertThat(heard.get()).isSameAs(a);
        assertThat(cache.flying("k")).isNull();
        AtomicReference<CachedAnswer> late = new AtomicReference<>(answer("other"));
        leader.flight().await(Runnable::run, late::set);   // after landing: at once
        assertThat(late.get()).isSameAs(a);

        ResponseCache.Joined failing = cache.join("k2");
        AtomicReference<Object> none = new AtomicReference<>("unset");
        cache.join("k2").flight().await(Runnable::run, none::set);
        cache.land(failing.flight(), null);
        assertThat(none.get()).isNull();
        assertThat(cache.find("k2")).isNull();
    }

    @Test
    void tenThousandDistinctAnswersStayWithinMaxSize() {
        long maxSize = 4L << 20;
        ResponseCache cache = cache(maxSize, Duration.ofMinutes(1), Duration.ZERO);
        for (int i = 0; i < 10_000; i++) {
            store(cache, "SELECT " + i, answer("x".repeat(1000 + i % 3000), "t" + (i % 50)));
            if (i % 1000 == 0) {
                assertThat(cache.bytes()).isLessThanOrEqualTo(maxSize);
            }
        }
        assertThat(cache.bytes()).isLessThanOrEqualTo(maxSize).isGreaterThan(maxSize / 2);
        assertThat(cache.entries()).isBetween(500L, 9_999L);
        assertThat(cache.find("SELECT 9999")).isNotNull();   // the newest is kept
    }

    @Test
    void aWriteDropsExactlyTheAnswersThatReadItsObject() {
        ResponseCache cache = cache(1 << 20, Duration.ofMinutes(1), Duration.ZERO);
        store(cache, "a", answer("1", "orders"));
        store(cache, "b", answer("2", "orders", "customers"));
        store(cache, "c", answer("3", "customers"));
        cache.written(List.of("orders"));
        assertThat(cache.find("a")).isNull();
        assertThat(cache.find("b")).isNull();
        assertThat(cache.find("c")).isNotNull();
        cache.written(List.of(ObjectNames.EVERYTHING));
        assertThat(cache.find("c")).isNull();
    }

    @Test
    void anAnswerWhoseStatementWentOutBeforeAWriteIsNotKept() {
        ResponseCache cache = cache(1 << 20, Duration.ofMinutes(1), Duration.ZERO);
        ResponseCache.Joined joined = cache.join("k");
        cache.written(List.of("orders"));   // while the read was on its way
        AtomicReference<Object> heard = new AtomicReference<>("unset");
        joined.flight().await(Runnable::run, heard::set);
        cache.land(joined.flight(), answer("old", "orders"));
        assertThat(cache.find("k")).isNull();
        assertThat(heard.get()).as("followers go on their own").isNull();
        store(cache, "k", answer("new", "orders"));   // a read after the write is kept
        assertThat(cache.find("k")).isNotNull();
    }

    @Test
    void afterAMutationNoAnswerReadingItsTableIsKeptForTtl() {
        ResponseCache cache = cache(1 << 20, Duration.ofSeconds(10), Duration.ZERO);
        cache.written(List.of("orders"), true);
        store(cache, "k", answer("during", "orders"));
        assertThat(cache.find("k")).isNull();
        store(cache, "other", answer("x", "customers"));
        assertThat(cache.find("other")).isNotNull();
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        store(cache, "k", answer("after", "orders"));
        assertThat(cache.find("k")).isNotNull();
    }

    @Test
    void writesReachAnswersReadThroughViewsChgateSawCreated() {
        ResponseCaches caches = new ResponseCaches(null, ticker);
        io.chgate.gateway.config.GatewayConfig config = new io.chgate.gateway.config.GatewayConfig();
        io.chgate.gateway.config.GatewayConfig.Cache c = new io.chgate.gateway.config.GatewayConfig.Cache();
        c.name = "c";
        config.caches.add(c);
        caches.configure(config);
        ResponseCache cache = caches.named("c");
        caches.created(Map.of("db.daily", Set.of("db.orders"), "db.top", Set.of("db.daily")), Set.of(), Set.of(),
                true);
        store(cache, "v", answer("1", ObjectNames.of("db.top")));
        store(cache, "w", answer("2", ObjectNames.of("db.unrelated")));
        caches.written(Set.of("other_db.orders"), false);   // another database's table of that name: a miss at worst
        assertThat(cache.find("v")).isNull();
        assertThat(cache.find("w")).isNotNull();
    }

    @Test
    void readsOfAViewOverWhatMayNotBeKeptAreNotKeptUntilItIsDefinedAnew() {
        ResponseCaches caches = new ResponseCaches(null, ticker);
        caches.created(Map.of("db.clock", Set.of()), Set.of("db.clock"), Set.of("db.clock"), true);
        assertThat(caches.keepable(ObjectNames.of(Set.of("db.clock", "db.orders")))).isFalse();
        assertThat(caches.keepable(ObjectNames.of(Set.of("db.orders")))).isTrue();
        caches.created(Map.of(), Set.of(), Set.of("db.clock", "db.moved"), false);   // RENAME clock TO moved
        assertThat(caches.keepable(ObjectNames.of(Set.of("db.moved")))).isFalse();
        caches.created(Map.of(), Set.of(), Set.of("db.orders"), false);   // an INSERT marks nothing
        assertThat(caches.keepable(ObjectNames.of(Set.of("db.orders")))).isTrue();
        caches.created(Map.of("db.clock", Set.of("db.orders")), Set.of(), Set.of("db.clock"), true);
        assertThat(caches.keepable(ObjectNames.of(Set.of("db.clock")))).isTrue();
    }

    @Test
    void aSessionIsCleanOnlyWhenChgateSawItBeginAndNothingButReadsSinceOnAServer() {
        SessionStates server = new SessionStates(ticker, false);
        assertThat(server.clean("s1")).as("may be older than this process").isFalse();
        nanos.addAndGet(Duration.ofMinutes(40).toNanos());
        assertThat(server.clean("s1")).isFalse();
        nanos.addAndGet(Duration.ofMinutes(40).toNanos());
        assertThat(server.clean("s2")).as("begun after this process: chgate saw all of it").isTrue();
        assertThat(server.clean("s2")).isTrue();
        server.changed("s2");
        assertThat(server.clean("s2")).isFalse();
        assertThat(server.clean("s1")).as("once judged, kept while it lives").isFalse();
        nanos.addAndGet(SessionStates.LONGEST_SESSION.toNanos() + 1);
        assertThat(server.clean("s1")).as("an hour idle: ClickHouse ended it; this id begins a new one").isTrue();

        SessionStates embedded = new SessionStates(ticker, true);
        assertThat(embedded.clean("e1")).as("the engine's sessions die with chgate").isTrue();
        embedded.changed("e1");
        assertThat(embedded.clean("e1")).isFalse();
    }

    @Test
    void keysTellApartWhatChangesAnAnswerAndNothingElse() {
        String base = CacheKey.of("r").statement("SELECT 1").parameters(Map.of("query_id", List.of("a"),
                "default_format", List.of("JSON")), n -> n.equals("query_id")).header(null).build();
        String otherId = CacheKey.of("r").statement("SELECT 1").parameters(Map.of("query_id", List.of("b"),
                "default_format", List.of("JSON")), n -> n.equals("query_id")).header(null).build();
        assertThat(otherId).isEqualTo(base);
        List<String> differing = new ArrayList<>();
        differing.add(CacheKey.of("r2").statement("SELECT 1").parameters(Map.of("default_format", List.of("JSON")),
                n -> false).header(null).build());
        differing.add(CacheKey.of("r").statement("SELECT 2").parameters(Map.of("default_format", List.of("JSON")),
                n -> false).header(null).build());
        differing.add(CacheKey.of("r").statement("SELECT 1").parameters(Map.of("default_format", List.of("CSV")),
                n -> false).header(null).build());
        differing.add(CacheKey.of("r").statement("SELECT 1").parameters(Map.of("default_format", List.of("JSON")),
                n -> false).header("gzip").build());
        // a part's text cannot pose as two parts
        differing.add(CacheKey.of("r").statement("SELECT 1P0").parameters(Map.of(), n -> false).header(null).build());
        assertThat(differing).doesNotContain(base).doesNotHaveDuplicates();
    }
}
