package io.chgate.gateway.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * chgate's metrics, in Prometheus's text format through Micrometer. Labels are bounded and never carry SQL or a
 * secret: an HTTP status, a method, a ClickHouse error code, a gateway user's name (from the configuration).
 * Counters are looked up once per label set and then kept: a registry lookup per request would cost more than the
 * count.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private record RequestKey(int status, String method, String user) {
    }

    private record RefusalKey(int code, String user) {
    }

    private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final Map<RefusalKey, Counter> refusals = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final LatencyHistogram upstreamLatency = new LatencyHistogram("chgate_upstream_latency_seconds",
            "from a request's head sent to ClickHouse to its response head back");
    private final Map<String, Counter> rewrites = new ConcurrentHashMap<>();
    private final Map<String, UserLimitMeters> userLimits = new ConcurrentHashMap<>();

    public GatewayMetrics() {
        Gauge.builder("chgate_client_connections", connections, AtomicLong::get)
                .description("client connections open").register(registry);
        Gauge.builder("chgate_requests_in_flight", inFlight, AtomicLong::get)
                .description("requests being served").register(registry);
        bytesIn = Counter.builder("chgate_request_bytes").description("request body bytes received")
                .register(registry);
        bytesOut = Counter.builder("chgate_response_bytes").description("response body bytes sent")
                .register(registry);
        counter("chgate_verdict_cache_hits", "queries decided from the verdict cache",
                io.chgate.gateway.intercept.RewritingInterceptor.CACHE_HITS);
        counter("chgate_vault_calls", "requests sent to Vault", io.chgate.vault.BridgeStats.VAULT_CALLS);
        counter("chgate_vault_errors", "Vault requests that failed", io.chgate.vault.BridgeStats.VAULT_ERRORS);
        counter("chgate_vault_renewals", "token and lease renewals asked of Vault",
                io.chgate.vault.BridgeStats.RENEWALS);
        counter("chgate_collection_refreshes", "credentials fetched and written to their named collections",
                io.chgate.vault.BridgeStats.COLLECTION_REFRESHES);
        counter("chgate_collection_refresh_failures", "credential loads or refreshes that failed",
                io.chgate.vault.BridgeStats.COLLECTION_FAILURES);
        TlsMetrics.register(registry);
    }

    private void counter(String name, String description, java.util.concurrent.atomic.LongAdder adder) {
        io.micrometer.core.instrument.FunctionCounter.builder(name, adder, java.util.concurrent.atomic.LongAdder::sum)
                .description(description).register(registry);
    }

    /** ClickHouse took this long to start answering. */
    public void upstreamAnswered(long nanos) {
        upstreamLatency.record(nanos);
    }

    /** A query rewritten to an integration's collection, by gateway user. */
    public void rewritten(String user) {
        String u = user == null ? "-" : user;
        rewrites.computeIfAbsent(u, k -> Counter.builder("chgate_rewrites")
                .description("queries whose external references were rewritten, by gateway user").tag("user", u)
                .register(registry)).increment();
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    /** One request answered: its status, method and gateway user ({@code -} without gateway users). */
    public void requestFinished(int status, String method, String user, long requestBytes, long responseBytes) {
        inFlight.decrementAndGet();
        String u = user == null ? "-" : user;
        RequestKey key = new RequestKey(status, method, u);
        Counter counter = requests.get(key);   // looked up first: the registering lambda is not built per request
        if (counter == null) {
            counter = requests.computeIfAbsent(key, k -> Counter.builder("chgate_requests")
                    .description("requests answered, by HTTP status, method and gateway user")
                    .tag("status", Integer.toString(status)).tag("method", method).tag("user", u).register(registry));
        }
        counter.increment();
        bytesIn.increment(requestBytes);
        bytesOut.increment(responseBytes);
    }

    /** A request chgate refused or failed itself, by ClickHouse error code. */
    public void refused(int code, String user) {
        String u = user == null ? "-" : user;
        refusals.computeIfAbsent(new RefusalKey(code, u), k -> Counter.builder("chgate_refusals")
                .description("requests chgate answered with its own error, by ClickHouse error code and gateway user")
                .tag("code", Integer.toString(code)).tag("user", u).register(registry)).increment();
    }

    /**
     * A gateway user's limit metrics, made once per user (again for the same user: the same ones); {@code
     * queueLength} is read at each scrape for its queue's length gauge (null: the user has no queue).
     */
    public UserLimitMeters userLimits(String user, java.util.function.IntSupplier queueLength) {
        if (queueLength != null) {
            Gauge.builder("chgate_user_queue_length", queueLength, q -> q.getAsInt())
                    .description("statements of a gateway user waiting for their turn").tag("user", user)
                    .strongReference(true).register(registry);
        }
        return userLimits.computeIfAbsent(user, u -> new UserLimitMeters(registry, u));
    }

    /** A response cache's metrics; {@code bytes} and {@code entries} are read at each scrape. */
    public CacheMeters cacheMeters(String cache, java.util.function.LongSupplier bytes,
            java.util.function.LongSupplier entries) {
        return new CacheMeters(registry, cache, bytes, entries);
    }

    /** The metrics in Prometheus's text exposition format. */
    public String scrape() {
        StringBuilder out = new StringBuilder(registry.scrape());
        upstreamLatency.scrape(out);
        if (!userLimits.isEmpty()) {
            java.util.List<UserLimitMeters> users = new java.util.ArrayList<>(userLimits.values());
            users.get(0).waitHistogram().scrapeHelp(out);
            users.forEach(u -> u.waitHistogram().scrapeSamples(out));
        }
        return out.toString();
    }
}
