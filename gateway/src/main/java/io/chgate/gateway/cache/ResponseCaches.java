package io.chgate.gateway.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.observe.CacheMeters;
import io.chgate.gateway.observe.GatewayMetrics;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's response caches by name and which user is answered from which. Caches live as long as the gateway: a
 * reload keeps a cache whose settings did not change (with its answers), makes the new ones and points users anew.
 * Writes reach every cache: an answer of one user's cache may have read a table another user writes.
 */
public final class ResponseCaches {
    /** No caches: nothing is looked up, nothing recorded. */
    public static final ResponseCaches NONE = new ResponseCaches(null, Ticker.systemTicker());

    private final GatewayMetrics metrics;
    private final Ticker ticker;
    private final ObjectDependencies dependencies = new ObjectDependencies();
    /** Objects whose reads are never kept: views over what may not be kept, tables of live engines. */
    private final Set<String> uncacheable = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final SessionStates sessions;
    private volatile Map<String, Made> byName = Map.of();
    private volatile Map<String, ResponseCache> byUser = Map.of();

    private record Made(GatewayConfig.Cache settings, ResponseCache cache) {
    }

    public ResponseCaches(GatewayMetrics metrics, Ticker ticker) {
        this(metrics, ticker, false);
    }

    /** @param sessionsDieWithUs the upstream's sessions end with this process (the embedded engine) */
    public ResponseCaches(GatewayMetrics metrics, Ticker ticker, boolean sessionsDieWithUs) {
        this.metrics = metrics;
        this.ticker = ticker;
        this.sessions = new SessionStates(ticker, sessionsDieWithUs);
    }

    public static ResponseCaches fromConfig(GatewayConfig config, GatewayMetrics metrics) {
        ResponseCaches caches = new ResponseCaches(metrics, Ticker.systemTicker(),
                config.upstream.embedded.selected(config.upstream));
        caches.configure(config);
        return caches;
    }

    /** Puts a configuration's caches and users in force (at start and on reload). */
    public synchronized void configure(GatewayConfig config) {
        Map<String, Made> made = new LinkedHashMap<>();
        for (GatewayConfig.Cache c : config.caches) {
            Made old = byName.get(c.name);
            made.put(c.name, old != null && same(old.settings(), c) ? old : new Made(c, make(c)));
        }
        Map<String, ResponseCache> users = new HashMap<>();
        for (GatewayConfig.User u : config.users) {
            if (u.cache != null && made.containsKey(u.cache)) {
                users.put(u.name, made.get(u.cache).cache());
            }
        }
        byName = made;
        byUser = users;
    }

    private ResponseCache make(GatewayConfig.Cache c) {
        return new ResponseCache(c.name, c.maxSize.bytes(), c.ttl, c.grace, c.maxPayloadSize.bytes(), ticker,
                cache -> metrics == null ? CacheMeters.NONE
                        : metrics.cacheMeters(c.name, cache::bytes, cache::entries));
    }

    private static boolean same(GatewayConfig.Cache a, GatewayConfig.Cache b) {
        return a.maxSize.equals(b.maxSize) && a.ttl.equals(b.ttl) && a.grace.equals(b.grace)
                && a.maxPayloadSize.equals(b.maxPayloadSize);
    }

    /** Whether any cache is configured: writes are then read for what they change. */
    public boolean any() {
        return !byName.isEmpty();
    }

    /** The cache a gateway user is answered from, or null. */
    public ResponseCache forUser(String user) {
        return user == null ? null : byUser.get(user);
    }

    /**
     * Whether a read in session {@code session} may be answered from a cache: chgate saw the session begin and every
     * statement in it was a read (its {@code SET}s, {@code USE} and temporary tables are in no key).
     */
    public boolean cleanSession(String session) {
        return sessions.clean(session);
    }

    /** A statement that may change a session's state (anything but a read whose answer may be kept) goes to it. */
    public void sessionChanged(String session) {
        if (!byName.isEmpty()) {
            sessions.changed(session);
        }
    }

    /** A cache by name, or null. */
    public ResponseCache named(String name) {
        Made made = byName.get(name);
        return made == null ? null : made.cache();
    }

    /**
     * A statement through chgate wrote these objects ({@code database.name}, or {@code database.*} for a whole
     * database): every answer in every cache that read one of them, or a view known to read one, goes; after a
     * {@code mutation} (ALTER), which ClickHouse applies in the background, none reading them is kept for a ttl.
     */
    public void written(Set<String> objects, boolean mutation) {
        if (objects.isEmpty() || byName.isEmpty()) {
            return;
        }
        Set<String> names = dependencies.withDerived(ObjectNames.of(objects));
        for (Made made : byName.values()) {
            made.cache().written(names, mutation);
        }
    }

    /**
     * A statement that wrote {@code written} succeeded through chgate: views (or a materialized view and its target)
     * read their {@code derivations} ({@code derived -> sources}); reads of {@code unkeepable} objects are never kept
     * from now on (a view over {@code now()}, a table of a live engine or with a column computed from {@code now()});
     * an object a {@code definition} (CREATE, REPLACE, ATTACH) defines anew without such a reason may be kept again;
     * a mark moves with a rename or exchange (both names keep it).
     */
    public void created(Map<String, Set<String>> derivations, Set<String> unkeepable, Set<String> written,
            boolean definition) {
        derivations.forEach((derived, sources) -> dependencies.add(ObjectNames.of(derived), ObjectNames.of(sources)));
        Set<String> marked = ObjectNames.of(unkeepable);
        Set<String> touched = ObjectNames.of(written);
        touched.remove(ObjectNames.EVERYTHING);
        if (definition) {
            for (String name : touched) {
                if (!marked.contains(name)) {
                    uncacheable.remove(name);
                }
            }
        } else if (!keepable(touched)) {
            uncacheable.addAll(touched);
        }
        uncacheable.addAll(marked);
    }

    /**
     * Objects the upstream already has, learnt from its catalog: what its views read, and what may never be kept.
     * Nothing is unmarked here (a name is kept without its database: another database's object may hold the mark).
     */
    public void learnt(Map<String, Set<String>> derivations, Set<String> unkeepable) {
        created(derivations, unkeepable, Set.of(), false);
    }

    /** Whether an answer reading these objects (names as {@link ObjectNames} keeps them) may be kept. */
    public boolean keepable(Set<String> objects) {
        if (uncacheable.isEmpty()) {
            return true;
        }
        for (String object : objects) {
            if (uncacheable.contains(object)) {
                return false;
            }
        }
        return true;
    }
}
