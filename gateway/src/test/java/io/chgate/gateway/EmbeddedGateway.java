package io.chgate.gateway;

import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.credentials.ManagedCredentials;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.cli.GatewayLauncher;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import io.chgate.vault.EngineAdminChannel;
import io.chgate.vault.VaultClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The product as the quickstart runs it, for tests: chgate on the embedded ClickHouse 26 engine (one data directory
 * per test JVM), its integrations' credentials in OpenBao, the full policy. Build the config, add integrations and
 * users, then {@link #start}.
 */
final class EmbeddedGateway implements AutoCloseable {
    final GatewayConfig config;
    private final LocalStack stack;
    private GatewayServer server;
    private ManagedCredentials credentials;
    final io.chgate.gateway.observe.GatewayMetrics metrics = new io.chgate.gateway.observe.GatewayMetrics();
    private io.chgate.gateway.admin.AdminServer admin;

    EmbeddedGateway(LocalStack stack) {
        this.stack = stack;
        this.config = config(Map.of("CHGATE_VAULT_ADDRESS", stack.vaultAddr(), "CHGATE_VAULT_TOKEN", stack.vaultToken()));
    }

    /**
     * chgate on the embedded engine, listening on an ephemeral loopback port, with these further variables; every
     * test in one JVM shares the engine's data directory, as the engine is one per process.
     */
    static GatewayConfig config(Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(more);
        env.put("CHGATE_UPSTREAM_URL", "embedded");
        env.put("CHGATE_UPSTREAM_EMBEDDED_DATA_DIR", System.getProperty("java.io.tmpdir") + "/chgate-embedded-test-"
                + ProcessHandle.current().pid());
        ConfigLoader.Loaded loaded = new ConfigLoader(env).flag("listen", "127.0.0.1:0", "test").load();
        if (!loaded.problems().isEmpty()) {
            throw new IllegalStateException("test config has problems: " + loaded.problems());
        }
        return loaded.config();
    }

    /** An integration whose credentials are a KV secret written to OpenBao here. */
    EmbeddedGateway integration(String name, String source, int port, String database, String user, String password) {
        VaultClient.withToken(stack.vaultAddr(), stack.vaultToken()).writeKv2("secret", "chgate-test/" + name,
                Map.of("username", user, "password", password));
        GatewayConfig.Integration i = new GatewayConfig.Integration();
        i.name = name;
        i.source = source;
        i.address = "127.0.0.1:" + port;
        i.database = database;
        i.credentials = new GatewayConfig.Credentials();
        i.credentials.kv = new GatewayConfig.Kv();
        i.credentials.kv.path = "chgate-test/" + name;
        config.integrations.add(i);
        return this;
    }

    /** A gateway user with this password, allowed these integrations. */
    EmbeddedGateway user(String name, String password, List<String> integrations) throws Exception {
        return user(name, password, integrations, List.of());
    }

    /** A gateway user allowed these integrations and these sources that no integration is. */
    EmbeddedGateway user(String name, String password, List<String> integrations, List<String> sources)
            throws Exception {
        GatewayConfig.User u = new GatewayConfig.User();
        u.name = name;
        u.passwordSha256Hex = GatewayUsersTest.sha256(password);
        u.integrations = new ArrayList<>(integrations);
        u.sources = new ArrayList<>(sources);
        config.users.add(u);
        return this;
    }

    EmbeddedGateway start() throws InterruptedException {
        credentials = ManagedCredentials.start(config, new EngineAdminChannel(GatewayLauncher.embeddedEngine(config)));
        server = GatewayLauncher.start(config, RewritingInterceptor.fromConfig(config, 1, credentials), metrics);
        if (!config.adminListen.isBlank()) {
            try {
                admin = io.chgate.gateway.admin.AdminServer.start(config, metrics, credentials, server.upstreamUrl());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return this;
    }

    /** The admin listener's port (set {@code config.adminListen} before {@link #start}). */
    int adminPort() {
        return admin.address().getPort();
    }

    int port() {
        return server.address().getPort();
    }

    /** Posts {@code sql} as the gateway user {@code user}, whose password is {@code user + "-pw"}. */
    RawHttp.Response post(String user, String sql) throws java.io.IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", port())) {
            return c.exchange(RawHttp.request("POST", "/", List.of(new RawHttp.Header("X-ClickHouse-User", user),
                    new RawHttp.Header("X-ClickHouse-Key", user + "-pw")),
                    sql.getBytes(java.nio.charset.StandardCharsets.UTF_8)), false);
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        server.close();
        if (credentials != null) {
            credentials.close();
        }
    }
}
