package io.chgate.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.config.HostPort;
import io.chgate.gateway.credentials.ManagedCredentials;
import io.chgate.gateway.observe.GatewayMetrics;
import io.chgate.vault.IntegrationManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The admin listener, on its own address off the client port: {@code /health} (the process is up), {@code /ready}
 * (ClickHouse answers, and every managed integration has valid credentials — with the reasons when not),
 * {@code /integrations} (each integration's state, never a secret) and {@code /metrics} (Prometheus). The JDK's
 * HTTP server is enough for a handful of requests a minute; it keeps this off the proxy's event loops.
 */
public final class AdminServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final ManagedCredentials credentials;
    private volatile Reloader reloader;
    private final String upstreamPing;
    private final byte[] tokenHash;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AdminServer(HttpServer server, GatewayConfig config, GatewayMetrics metrics, ManagedCredentials credentials,
            String upstreamUrl) {
        this.server = server;
        this.config = config;
        this.metrics = metrics;
        this.credentials = credentials;
        this.upstreamPing = upstreamUrl == null ? null : upstreamUrl + "/ping";
        this.tokenHash = config.adminToken == null || config.adminToken.isEmpty() ? null : sha256(config.adminToken);
    }

    /**
     * @param upstreamUrl ClickHouse's HTTP address to check readiness against (the embedded engine's own front
     *     when embedded)
     * @param credentials the managed integrations, or null when chgate manages none
     */
    public static AdminServer start(GatewayConfig config, GatewayMetrics metrics, ManagedCredentials credentials,
            String upstreamUrl) throws IOException {
        HostPort listen = HostPort.parse(config.adminListen);
        HttpServer server = HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 16);
        AdminServer admin = new AdminServer(server, config, metrics, credentials, upstreamUrl);
        server.createContext("/", admin::handle);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "chgate-admin");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return admin;
    }

    /** Enables {@code POST /reload}; readiness and /integrations then follow the configuration in force. */
    public void reloadWith(Reloader reloader) {
        this.reloader = reloader;
    }

    private ManagedCredentials managed() {
        return reloader == null ? credentials : reloader.credentials();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) {
                send(exchange, 401, "text/plain", "admin token required\n");
                return;
            }
            if (exchange.getRequestURI().getPath().equals("/reload")) {
                if (!exchange.getRequestMethod().equals("POST") || reloader == null) {
                    send(exchange, 405, "text/plain", reloader == null ? "reload is not available\n" : "POST only\n");
                    return;
                }
                Reloader.Result result = reloader.reload();
                send(exchange, result.applied() ? 200 : 400, "text/plain", result.applied()
                        ? "reloaded" + (result.needRestart().isEmpty() ? "" : "; a restart is needed to change "
                                + String.join(", ", result.needRestart())) + "\n"
                        : "not applied; the running configuration keeps serving:\n  "
                                + String.join("\n  ", result.problems()) + "\n");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "text/plain", "GET only\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/health" -> send(exchange, 200, "text/plain", "ok\n");
                case "/ready" -> {
                    List<String> reasons = notReady();
                    send(exchange, reasons.isEmpty() ? 200 : 503, "text/plain",
                            reasons.isEmpty() ? "ready\n" : String.join("\n", reasons) + "\n");
                }
                case "/integrations" -> send(exchange, 200, "application/json", integrations());
                case "/config" -> send(exchange, 200, "application/json", EffectiveConfig.json(
                        reloader != null ? reloader.config() : config));
                case "/metrics" -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
                default -> send(exchange, 404, "text/plain", "no such admin endpoint\n");
            }
        }
    }

    private boolean authorized(HttpExchange exchange) {
        if (tokenHash == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.startsWith("Bearer ")
                && MessageDigest.isEqual(tokenHash, sha256(header.substring(7).trim()));
    }

    private volatile io.chgate.gateway.proxy.Upstreams upstreams;

    /** With several ClickHouse nodes, readiness follows their health checks instead of one /ping. */
    public void watch(io.chgate.gateway.proxy.Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    private List<String> notReady() {
        List<String> reasons = new ArrayList<>();
        io.chgate.gateway.proxy.Upstreams nodes = upstreams;
        if (nodes != null && nodes.nodes().size() > 1) {
            List<String> down = nodes.nodes().stream().filter(n -> !n.healthy()).map(n -> n.name()).toList();
            if (down.size() == nodes.nodes().size()) {
                reasons.add("upstream: no ClickHouse node is up (" + String.join(", ", down) + ")");
            }
        } else if (upstreamPing != null) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(upstreamPing))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    reasons.add("upstream: /ping answered " + r.statusCode());
                }
            } catch (IOException e) {
                reasons.add("upstream: unreachable (" + e.getClass().getSimpleName() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reasons.add("upstream: check interrupted");
            }
        }
        ManagedCredentials managed = managed();
        if (managed != null) {
            for (IntegrationManager.Status status : managed.statuses()) {
                if (!status.ready()) {
                    reasons.add("integration " + status.name() + ": " + (status.lastError() == null
                            ? "credentials expired" : status.lastError()));
                }
            }
        }
        return reasons;
    }

    private String integrations() throws IOException {
        ArrayNode list = JSON.createArrayNode();
        java.util.Map<String, IntegrationManager.Status> statuses = new java.util.HashMap<>();
        ManagedCredentials managed = managed();
        if (managed != null) {
            managed.statuses().forEach(s -> statuses.put(s.name(), s));
        }
        for (GatewayConfig.Integration i : reloader == null ? config.integrations : reloader.config().integrations) {
            ObjectNode node = list.addObject().put("name", i.name).put("source", i.source).put("location", i.location)
                    .put("collection", i.collectionName());
            i.modesInEffect().forEach(node.putArray("modes")::add);
            i.integrationDatabaseNames().forEach(node.putArray("databases")::add);
            if ("kafka".equals(i.source)) {
                i.tables.forEach(t -> node.withArray("tables").add(t == null ? null : t.name));
            }
            IntegrationManager.Status status = statuses.get(i.name);
            if (status == null) {
                node.put("state", "collection managed elsewhere");
            } else {
                node.put("state", status.ready() ? "ready" : "not ready")
                        .put("loaded_at", String.valueOf(status.loadedAt()))
                        .put("lease_expires_at", String.valueOf(status.expiresAt()))
                        .put("last_error", status.lastError());
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(list) + "\n";
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
