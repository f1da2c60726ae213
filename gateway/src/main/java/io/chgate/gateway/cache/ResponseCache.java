package io.chgate.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.chgate.gateway.observe.CacheMeters;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One named cache ({@code caches[]}): complete answers by key, bounded in bytes (Caffeine, weighed by each answer's
 * size), each fresh for {@code ttl} and served stale for {@code grace} more while one refresh runs; the statements on
 * their way for keys not answered yet ({@link Flight}); and, per object name, the keys of answers that read it, so a
 * write through chgate drops exactly those.
 *
 * <p>A write racing a statement on its way is caught by counting invalidations: an answer whose statement went out
 * before a write to an object it read is not stored (it may predate the write).
 */
public final class ResponseCache {
    /** An answer found for a key: fresh, or stale (past {@code ttl}, within {@code grace}). */
    public record Found(CachedAnswer answer, boolean stale) {
    }

    /** The flight a request joined, and whether it sends the statement itself (leads) or waits for it. */
    public record Joined(Flight flight, boolean leads) {
    }

    private final String name;
    private final long ttlNanos;
    private final long maxPayloadBytes;
    private final Ticker ticker;
    private final CacheMeters meters;
    private final Cache<String, CachedAnswer> answers;
    private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> keysByObject = new ConcurrentHashMap<>();
    /** Per object name, the invalidation count of the last write to it. */
    private final ConcurrentHashMap<String, Long> writtenAt = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();
    /** Per object name, until when a mutation may still be changing it in the background (ticker nanos). */
    private final ConcurrentHashMap<String, Long> settlingUntil = new ConcurrentHashMap<>();
    private volatile long everythingWrittenAt;

    /**
     * @param meters its metrics, or a function making them from the cache's byte and entry counts
     */
    public ResponseCache(String name, long maxSizeBytes, Duration ttl, Duration grace, long maxPayloadBytes,
            Ticker ticker, java.util.function.Function<ResponseCache, CacheMeters> meters) {
        this.name = name;
        this.ttlNanos = ttl.toNanos();
        this.maxPayloadBytes = maxPayloadBytes;
        this.ticker = ticker;
        this.answers = Caffeine.newBuilder()
                .maximumWeight(maxSizeBytes)
                .weigher((String key, CachedAnswer answer) -> answer.weight(key))
                .expireAfterWrite(ttl.plus(grace))
                .ticker(ticker)
                .executor(Runnable::run)
                .removalListener((String key, CachedAnswer answer, RemovalCause cause) -> removed(key, answer, cause))
                .build();
        this.meters = meters.apply(this);
    }

    public String name() {
        return name;
    }

    /** The largest answer kept; larger ones stream through uncached. */
    public long maxPayloadBytes() {
        return maxPayloadBytes;
    }

    public CacheMeters meters() {
        return meters;
    }

    /** The clock answers are aged by. */
    public long now() {
        return ticker.read();
    }

    /** The answer kept for {@code key}, fresh or stale; null when none. */
    public Found find(String key) {
        CachedAnswer answer = answers.getIfPresent(key);
        if (answer == null) {
            return null;
        }
        return new Found(answer, ticker.read() - answer.storedNanos() > ttlNanos);
    }

    /** Joins the statement on its way for {@code key}, or starts one that the caller then sends. */
    public Joined join(String key) {
        Flight mine = new Flight(key, invalidations.get());
        Flight flight = flights.putIfAbsent(key, mine);
        return flight == null ? new Joined(mine, true) : new Joined(flight, false);
    }

    /** The statement on its way for {@code key}, or null. */
    public Flight flying(String key) {
        return flights.get(key);
    }

    /** Starts the refresh of a stale answer; null when one is already on its way. */
    public Flight refresh(String key) {
        Flight mine = new Flight(key, invalidations.get());
        return flights.putIfAbsent(key, mine) == null ? mine : null;
    }

    /**
     * The statement of {@code flight} ended: its answer is stored (unless a write since it went out changed an object
     * it read) and handed to those waiting; null when it has none to share.
     */
    public void land(Flight flight, CachedAnswer answer) {
        CachedAnswer kept = answer != null && unchangedSince(answer.objects(), flight.startedAt) ? answer : null;
        if (kept != null) {
            for (String object : kept.objects()) {
                keysByObject.computeIfAbsent(object, o -> ConcurrentHashMap.newKeySet()).add(flight.key);
            }
            answers.put(flight.key, kept);
            if (!unchangedSince(kept.objects(), flight.startedAt)) {
                answers.invalidate(flight.key);   // a write came between the check and the put
                kept = null;
            }
        }
        flights.remove(flight.key, flight);
        flight.land(kept);
    }

    private boolean unchangedSince(Set<String> objects, long startedAt) {
        if (everythingWrittenAt > startedAt) {
            return false;
        }
        long now = settlingUntil.isEmpty() ? 0 : ticker.read();
        for (String object : objects) {
            Long written = writtenAt.get(object);
            if (written != null && written > startedAt) {
                return false;
            }
            Long settling = now == 0 ? null : settlingUntil.get(object);
            if (settling != null) {
                if (settling - now > 0) {
                    return false;
                }
                settlingUntil.remove(object, settling);
            }
        }
        return true;
    }

    /** Objects were written (names as {@link ObjectNames} keeps them): every answer that read one goes. */
    public void written(Collection<String> objects) {
        written(objects, false);
    }

    /**
     * Objects were written: every answer that read one goes; after a mutation ({@code settling}), which goes on in
     * the background after its statement returned, no answer reading them is kept for {@code ttl}.
     */
    public void written(Collection<String> objects, boolean settling) {
        if (settling) {
            long until = ticker.read() + ttlNanos;
            for (String object : objects) {
                settlingUntil.merge(object, until, Math::max);
            }
        }
        long at = invalidations.incrementAndGet();
        if (objects.contains(ObjectNames.EVERYTHING)) {
            everythingWrittenAt = at;
            long size = answers.estimatedSize();
            answers.invalidateAll();
            meters.invalidated((int) Math.min(Integer.MAX_VALUE, size));
            return;
        }
        int dropped = 0;
        for (String object : objects) {
            writtenAt.put(object, at);
            Set<String> keys = keysByObject.remove(object);
            if (keys != null) {
                for (String key : keys) {
                    if (answers.asMap().remove(key) != null) {
                        dropped++;
                    }
                }
            }
        }
        meters.invalidated(dropped);
    }

    private void removed(String key, CachedAnswer answer, RemovalCause cause) {
        if (cause == RemovalCause.SIZE) {
            meters.evicted();
        }
        if (answer == null || cause == RemovalCause.REPLACED) {
            return;
        }
        for (String object : answer.objects()) {
            keysByObject.computeIfPresent(object, (o, keys) -> {
                keys.remove(key);
                return keys.isEmpty() ? null : keys;
            });
        }
    }

    /** Bytes held, as weighed against {@code max_size}. */
    public long bytes() {
        answers.cleanUp();
        return answers.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    public long entries() {
        return answers.estimatedSize();
    }

    /** Statements on their way, with requests waiting for them. */
    int flights() {
        return flights.size();
    }
}
