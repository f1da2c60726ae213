package io.chgate.gateway.proxy;

import io.chgate.gateway.config.UpstreamAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClickHouse nodes behind the gateway and which one takes a request: a request with a {@code session_id} always
 * goes to the same healthy node (rendezvous hashing, so a node leaving moves only its own sessions); others go to
 * the least loaded healthy node, or round robin. An active check ({@code GET /ping}) marks nodes down and up; a
 * connection that cannot be opened marks its node down at once. A node coming back is admitted only after the
 * {@code admit} step (bringing its named collections current) succeeds. With one node there is no checking and no
 * choice: the hot path is what it was.
 */
public final class Upstreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Upstreams.class);

    /** One ClickHouse HTTP endpoint, its connection pool, whether it is healthy, and its requests in flight. */
    public static final class Node {
        final UpstreamAddress address;
        final UpstreamPool pool;
        final String name;
        final AtomicInteger inFlight = new AtomicInteger();
        private volatile boolean healthy = true;
        /** Being brought current: chgate's admin writes reach it, requests do not yet. */
        private volatile boolean admitting;

        Node(UpstreamAddress address, UpstreamPool pool) {
            this.address = address;
            this.pool = pool;
            this.name = address.hostHeader();
        }

        public String name() {
            return name;
        }

        public boolean healthy() {
            return healthy;
        }

        /** Whether chgate's own writes (named collections) should reach it: healthy, or being admitted. */
        public boolean writable() {
            return healthy || admitting;
        }
    }

    public enum Balance { LEAST_LOADED, ROUND_ROBIN }

    private final List<Node> nodes;
    private final Balance balance;
    private final AtomicInteger next = new AtomicInteger();
    private final ScheduledExecutorService checker;
    private final HttpClient http;
    private volatile Function<Node, CompletableFuture<Void>> admit = node -> CompletableFuture.completedFuture(null);

    Upstreams(List<Node> nodes, Balance balance, Duration checkInterval) {
        this(nodes, balance, checkInterval, null);
    }

    /** @param pingTls TLS for the checks of {@code https://} nodes, or null */
    Upstreams(List<Node> nodes, Balance balance, Duration checkInterval, javax.net.ssl.SSLContext pingTls) {
        this.nodes = List.copyOf(nodes);
        this.balance = balance;
        if (nodes.size() > 1) {
            HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(checkInterval);
            if (pingTls != null) {
                client.sslContext(pingTls);
            }
            this.http = client.build();
            this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chgate-upstream-check");
                t.setDaemon(true);
                return t;
            });
            checker.scheduleWithFixedDelay(() -> checkAll(checkInterval), checkInterval.toMillis(),
                    checkInterval.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            this.http = null;
            this.checker = null;
        }
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** What a node coming back must go through before it takes traffic (chgate brings its collections current). */
    public void admitWith(Function<Node, CompletableFuture<Void>> admit) {
        this.admit = admit;
    }

    /** The name to put in errors: the one node, or how many. */
    String describe() {
        return nodes.size() == 1 ? nodes.get(0).name : nodes.size() + " ClickHouse nodes";
    }

    /**
     * The node for a request, or null when every node was tried.
     *
     * @param sessionId the request's {@code session_id}, or null
     * @param tried nodes that already failed this request
     */
    Node choose(String sessionId, List<Node> tried) {
        if (nodes.size() == 1) {
            return tried.isEmpty() ? nodes.get(0) : null;
        }
        List<Node> candidates = new ArrayList<>(nodes.size());
        for (Node node : nodes) {
            if (node.healthy && !tried.contains(node)) {
                candidates.add(node);
            }
        }
        if (candidates.isEmpty()) {
            // Health is a view that may lag: with no node believed healthy, still try the untried ones.
            for (Node node : nodes) {
                if (!tried.contains(node)) {
                    candidates.add(node);
                }
            }
            if (candidates.isEmpty()) {
                return null;
            }
        }
        if (sessionId != null) {
            Node best = null;
            long bestScore = Long.MIN_VALUE;
            for (Node node : candidates) {
                long score = mix((long) sessionId.hashCode() * 31 + node.name.hashCode());
                if (best == null || score > bestScore) {
                    best = node;
                    bestScore = score;
                }
            }
            return best;
        }
        int start = Math.floorMod(next.getAndIncrement(), candidates.size());
        if (balance == Balance.ROUND_ROBIN) {
            return candidates.get(start);
        }
        Node best = null;
        for (int i = 0; i < candidates.size(); i++) {
            Node node = candidates.get((start + i) % candidates.size());
            if (best == null || node.inFlight.get() < best.inFlight.get()) {
                best = node;
            }
        }
        return best;
    }

    /** The node by its name ({@code host:port}), or null. */
    public Node node(String name) {
        for (Node node : nodes) {
            if (node.name.equals(name)) {
                return node;
            }
        }
        return null;
    }

    /** A connection to the node could not be opened: it takes no new requests until a check finds it back. */
    public void markDown(Node node, String why) {
        node.admitting = false;
        if (nodes.size() > 1 && node.healthy) {
            node.healthy = false;
            log.warn("ClickHouse node {} is down ({}); requests go to the others", node.name, why);
        }
    }

    private void checkAll(Duration timeout) {
        for (Node node : nodes) {
            HttpRequest ping = HttpRequest.newBuilder(URI.create((node.address.tls() ? "https://" : "http://")
                    + node.name + "/ping")).timeout(timeout)
                    .GET().build();
            boolean up;
            try {
                HttpResponse<String> response = http.send(ping, HttpResponse.BodyHandlers.ofString(
                        StandardCharsets.UTF_8));
                up = response.statusCode() == 200;
            } catch (java.io.IOException e) {
                up = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!up) {
                markDown(node, "it does not answer /ping");
            } else if (!node.healthy) {
                try {
                    node.admitting = true;
                    admit.apply(node).get(timeout.toMillis() * 10, TimeUnit.MILLISECONDS);
                    if (!node.admitting) {
                        throw new IllegalStateException("it went away while being brought current");
                    }
                    node.healthy = true;
                    node.admitting = false;
                    log.info("ClickHouse node {} is back and current; it takes requests again", node.name);
                } catch (Exception e) {
                    node.admitting = false;
                    log.warn("ClickHouse node {} answers but could not be brought current ({}); it stays out",
                            node.name, e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                }
            }
        }
    }

    /** SplitMix64's finalizer: spreads the combined hash so every node is equally likely to win. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        if (checker != null) {
            checker.shutdownNow();
        }
    }
}
