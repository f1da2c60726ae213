package io.chgate.gateway.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;

/** One response cache's metrics, by the cache's name; made once per cache, so recording costs no registry lookup. */
public final class CacheMeters {
    /** Meters that count nothing: a cache made without metrics (unit tests). */
    public static final CacheMeters NONE = new CacheMeters();

    private final Counter hits;
    private final Counter misses;
    private final Counter stale;
    private final Counter herdWaits;
    private final Counter evictions;
    private final Counter invalidations;

    private CacheMeters() {
        hits = misses = stale = herdWaits = evictions = invalidations = null;
    }

    CacheMeters(MeterRegistry registry, String cache, LongSupplier bytes, LongSupplier entries) {
        hits = counter(registry, cache, "chgate_cache_hits", "requests answered from the cache");
        misses = counter(registry, cache, "chgate_cache_misses", "cacheable requests that went to ClickHouse");
        stale = counter(registry, cache, "chgate_cache_stale", "requests answered with a stale answer in its grace");
        herdWaits = counter(registry, cache, "chgate_cache_herd_waits",
                "requests that waited for the same statement already on its way rather than send it again");
        evictions = counter(registry, cache, "chgate_cache_evictions", "answers dropped to stay within max_size");
        invalidations = counter(registry, cache, "chgate_cache_invalidations",
                "answers dropped because a write through chgate changed what they read");
        Gauge.builder("chgate_cache_bytes", bytes, LongSupplier::getAsLong).description("bytes the cache holds")
                .tag("cache", cache).strongReference(true).register(registry);
        Gauge.builder("chgate_cache_entries", entries, LongSupplier::getAsLong).description("answers the cache holds")
                .tag("cache", cache).strongReference(true).register(registry);
    }

    private static Counter counter(MeterRegistry registry, String cache, String name, String description) {
        return Counter.builder(name).description(description).tag("cache", cache).register(registry);
    }

    public void hit() {
        count(hits, 1);
    }

    public void miss() {
        count(misses, 1);
    }

    public void stale() {
        count(stale, 1);
    }

    public void herdWait() {
        count(herdWaits, 1);
    }

    public void evicted() {
        count(evictions, 1);
    }

    public void invalidated(int answers) {
        count(invalidations, answers);
    }

    private static void count(Counter counter, int n) {
        if (counter != null && n > 0) {
            counter.increment(n);
        }
    }
}
