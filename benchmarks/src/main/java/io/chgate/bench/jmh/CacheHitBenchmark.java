package io.chgate.bench.jmh;

import com.github.benmanes.caffeine.cache.Ticker;
import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.cache.CacheKey;
import io.chgate.gateway.cache.CachedAnswer;
import io.chgate.gateway.cache.ObjectNames;
import io.chgate.gateway.cache.ResponseCache;
import io.chgate.gateway.cache.Rights;
import io.chgate.gateway.observe.CacheMeters;
import io.chgate.sql.CacheableRead;
import io.chgate.sql.ParsedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What answering a dashboard query from the cache costs chgate beyond a pass-through request's own work: reading
 * whether the statement may be kept (its lex and the function registry), making its key and finding its answer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CacheHitBenchmark {
    static final String SQL = "SELECT toStartOfHour(event_time) AS hour, kind, count() AS events, uniq(user_id) AS users,"
            + " sum(amount) AS amount FROM bench_cache.events WHERE event_date = '2026-11-03' AND kind IN ('view',"
            + " 'click', 'purchase') GROUP BY hour, kind ORDER BY hour, kind";
    static final Map<String, List<String>> PARAMS = Map.of("default_format", List.of("JSONCompact"),
            "query_id", List.of("8a3d1c5e-2f4b-4e7a-9c1d-0b6e5f4a3c2d"), "max_threads", List.of("2"));

    private final GatewayUser user = new GatewayUser("analyst", "Basic YW5hbHlzdDpzZWNyZXQ=", Set.of("shop_pg"),
            false, Set.of());
    private ResponseCache cache;

    @Setup
    public void setUp() {
        cache = new ResponseCache("bench", 64L << 20, Duration.ofMinutes(1), Duration.ZERO, 10 << 20,
                Ticker.systemTicker(), c -> CacheMeters.NONE);
        ResponseCache.Joined joined = cache.join(key(SQL));
        cache.land(joined.flight(), new CachedAnswer(List.of(Map.entry("Content-Type", "application/json")),
                new byte[2048], ObjectNames.of(readObjects()), cache.now()));
    }

    private static Set<String> readObjects() {
        return CacheableRead.of(ParsedStatement.of(SQL), "default").objects();
    }

    private String key(String sql) {
        return CacheKey.of(Rights.of(user)).statement(sql).parameters(PARAMS,
                p -> p.equals("query_id") || p.equals("max_threads")).header(null).header(null).header(null).build();
    }

    @Benchmark
    public boolean cacheable() {
        return CacheableRead.of(ParsedStatement.of(SQL), "default").cacheable();
    }

    @Benchmark
    public Object keyAndFind() {
        return cache.find(key(SQL));
    }

    public static void main(String[] args) throws Exception {
        new org.openjdk.jmh.runner.Runner(new org.openjdk.jmh.runner.options.OptionsBuilder()
                .include(CacheHitBenchmark.class.getSimpleName()).forks(1).warmupIterations(3)
                .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1)).measurementIterations(5)
                .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1)).build()).run();
    }
}
