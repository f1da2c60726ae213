package io.chgate.gateway;

import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.QueryInterceptor;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * A gateway started in this JVM in front of the real ClickHouse server of the local stack, plus ways to talk to
 * both. One per test JVM for the plain identity gateway; tests that need other settings start their own.
 */
final class GatewayUnderTest implements AutoCloseable {
    private static GatewayUnderTest shared;

    final LocalStack stack;
    final GatewayServer server;
    final String clickhouseHost;
    final int clickhousePort;
    private final HttpClient http = HttpClient.newHttpClient();

    private GatewayUnderTest(LocalStack stack, GatewayServer server) {
        this.stack = stack;
        this.server = server;
        URI ch = URI.create(stack.clickhouseHttpUrl());
        this.clickhouseHost = ch.getHost();
        this.clickhousePort = ch.getPort();
    }

    static synchronized GatewayUnderTest shared() throws InterruptedException {
        if (shared == null) {
            shared = start(QueryInterceptor.IDENTITY, Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A gateway on a free port with this interceptor; {@code env} holds CHGATE_* overrides. */
    static GatewayUnderTest start(QueryInterceptor interceptor, Map<String, String> env) throws InterruptedException {
        LocalStack stack = LocalStack.get();
        ConfigLoader.Loaded loaded = new ConfigLoader(env)
                .flag("listen", "127.0.0.1:0", "test")
                .flag("upstream.url", env.containsKey("CHGATE_UPSTREAM_URL") ? null : stack.clickhouseHttpUrl(), "test")
                .load();
        if (!loaded.ok()) {
            throw new IllegalStateException("test configuration is invalid: " + loaded.problems());
        }
        GatewayConfig config = loaded.config();
        return new GatewayUnderTest(stack, GatewayServer.start(config, interceptor));
    }

    int port() {
        return server.address().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    String authUser() {
        return stack.clickhouseAuthUser();
    }

    String authPassword() {
        return stack.clickhouseAuthPassword();
    }

    RawHttp openDirect() throws IOException {
        return new RawHttp(clickhouseHost, clickhousePort);
    }

    RawHttp openProxied() throws IOException {
        return new RawHttp("127.0.0.1", port());
    }

    RawHttp.Response direct(byte[] request, boolean head) throws IOException {
        try (RawHttp c = openDirect()) {
            return c.exchange(request, head);
        }
    }

    RawHttp.Response proxied(byte[] request, boolean head) throws IOException {
        try (RawHttp c = openProxied()) {
            return c.exchange(request, head);
        }
    }

    /** Runs SQL directly on the ClickHouse server; returns the body, or throws with ClickHouse's error. */
    String clickhouse(String sql) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.clickhouseHttpUrl() + "/"))
                    .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("ClickHouse refused '" + sql + "': " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("ClickHouse at " + stack.clickhouseHttpUrl() + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
