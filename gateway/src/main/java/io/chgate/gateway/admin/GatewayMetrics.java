package io.chgate.gateway.admin;

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

    public GatewayMetrics() {
        Gauge.builder("chgate_client_connections", connections, AtomicLong::get)
                .description("client connections open").register(registry);
        Gauge.builder("chgate_requests_in_flight", inFlight, AtomicLong::get)
                .description("requests being served").register(registry);
        bytesIn = Counter.builder("chgate_request_bytes").description("request body bytes received")
                .register(registry);
        bytesOut = Counter.builder("chgate_response_bytes").description("response body bytes sent")
                .register(registry);
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
        requests.computeIfAbsent(new RequestKey(status, method, u), k -> Counter.builder("chgate_requests")
                .description("requests answered, by HTTP status, method and gateway user")
                .tag("status", Integer.toString(status)).tag("method", method).tag("user", u).register(registry))
                .increment();
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

    /** The metrics in Prometheus's text exposition format. */
    public String scrape() {
        return registry.scrape();
    }
}
