package io.chgate.gateway.catalog;

import io.chgate.gateway.cache.ResponseCaches;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.vault.AdminChannel;
import io.chgate.vault.AdminException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Teaches the response caches the upstream's own views, materialized views and tables of live engines — those made
 * before chgate started or directly on ClickHouse, which no CREATE through chgate told them of — so a write through
 * chgate to a table also drops answers read through such a view, and a view over {@code now()} is never kept. Reads
 * {@code system.tables} at start and again every ttl of the shortest cache, so an object made behind chgate's back is
 * known within a ttl; a definition seen for the first time, or changed, also drops the answers kept for its object.
 */
public final class ObjectCatalog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ObjectCatalog.class);
    /** However short a ttl, the upstream is not asked more often than this. */
    private static final Duration SHORTEST_PERIOD = Duration.ofSeconds(1);

    private final ResponseCaches caches;
    private final AdminChannel admin;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chgate-object-catalog");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<Void> firstRead = new CompletableFuture<>();
    /** Per object ({@code database.name}), what its definition told at the last read; the timer's thread alone. */
    private Map<String, DefinedObject> known = Map.of();
    private boolean failing;

    private ObjectCatalog(ResponseCaches caches, AdminChannel admin) {
        this.caches = caches;
        this.admin = admin;
    }

    /**
     * Starts reading the upstream's objects when caches are configured, the first time at once; null when there is
     * nothing to do (no caches) or no way to read them ({@code admin} null: said once in the log).
     */
    public static ObjectCatalog start(GatewayConfig config, ResponseCaches caches, AdminChannel admin) {
        if (config.caches.isEmpty()) {
            return null;
        }
        if (admin == null) {
            log.info("caches: without an admin login chgate cannot read the upstream's views; answers read through a"
                    + " view made outside chgate are bounded by the cache's ttl");
            return null;
        }
        Duration period = config.caches.stream().map(c -> c.ttl).min(Duration::compareTo).orElseThrow();
        period = period.compareTo(SHORTEST_PERIOD) < 0 ? SHORTEST_PERIOD : period;
        ObjectCatalog catalog = new ObjectCatalog(caches, admin);
        catalog.timer.scheduleWithFixedDelay(catalog::read, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return catalog;
    }

    /** Waits up to {@code bound} for the first read to end (well or not); true when it did. */
    public boolean awaitFirstRead(Duration bound) throws InterruptedException {
        try {
            firstRead.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    private void read() {
        try {
            if (caches.any()) {
                learn(UpstreamObjects.read(admin));
                if (failing) {
                    log.info("caches: the upstream's views are read again");
                }
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing && !timer.isShutdown()) {   // a read cut short by close is no failure
                // ClickHouse's text is left out: it may quote a definition, and definitions may hold credentials.
                log.warn("caches: the upstream's views could not be read ({}); answers read through a view made"
                        + " outside chgate are bounded by the cache's ttl until they can", e instanceof AdminException a
                                ? "ClickHouse error code " + a.code() : e.getClass().getSimpleName());
            }
            failing = true;
        } finally {
            firstRead.complete(null);
        }
    }

    private void learn(List<UpstreamObjects.Definition> definitions) {
        Map<String, DefinedObject> now = new HashMap<>();
        Set<String> changed = new LinkedHashSet<>();
        for (UpstreamObjects.Definition definition : definitions) {
            DefinedObject before = known.get(definition.qualified());
            DefinedObject object = before != null
                    && before.digest().equals(DefinedObject.digest(definition.createQuery())) ? before
                    : DefinedObject.of(definition);
            now.put(definition.qualified(), object);
            if (object != before) {
                changed.addAll(object.derivations().keySet());
                changed.addAll(object.unkeepable());
            }
        }
        CatalogFacts facts = CatalogFacts.of(now.values());
        caches.learnt(facts.derivations(), facts.unkeepable());
        if (!changed.isEmpty()) {
            caches.written(changed, false);   // answers kept before the object was known
        }
        known = now;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
