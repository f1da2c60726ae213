package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.admin.AdminServer;
import io.chgate.gateway.cli.ClusterNodes;
import io.chgate.gateway.observe.GatewayMetrics;
import io.chgate.gateway.admin.Reloader;
import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.credentials.ManagedCredentials;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.cli.GatewayLauncher;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.vault.AdminChannel;
import io.chgate.vault.EngineAdminChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * chgate as {@code chgate run --config FILE} assembles it, in the test JVM: the configuration read from the file (and
 * these variables), its integrations ready, the server, the admin listener when {@code admin_listen} is set, a
 * reloader reading the file again, and several nodes followed. For tests that edit the file and reload.
 */
final class FileConfiguredGateway implements AutoCloseable {
    final GatewayConfig config;
    final AdminChannel admin;
    final GatewayServer server;
    final AdminServer adminServer;
    final Reloader reloader;

    private FileConfiguredGateway(GatewayConfig config, AdminChannel admin, GatewayServer server,
            AdminServer adminServer, Reloader reloader) {
        this.config = config;
        this.admin = admin;
        this.server = server;
        this.adminServer = adminServer;
        this.reloader = reloader;
    }

    /** On the embedded engine, whose admin channel is the engine itself. */
    static FileConfiguredGateway start(Path file, Map<String, String> env) throws Exception {
        return start(file, env, config -> new EngineAdminChannel(GatewayLauncher.embeddedEngine(config)));
    }

    static FileConfiguredGateway start(Path file, Map<String, String> env, Function<GatewayConfig, AdminChannel> admin)
            throws Exception {
        ConfigLoader.Loaded loaded = new ConfigLoader(env).file(file).load();
        assertThat(loaded.problems()).isEmpty();
        GatewayConfig config = loaded.config();
        AdminChannel channel = admin.apply(config);
        ManagedCredentials credentials = ManagedCredentials.start(config, channel);
        if (credentials != null) {
            credentials.ensureAll(Duration.ofSeconds(30));
        }
        GatewayMetrics metrics = new GatewayMetrics();
        GatewayServer server = GatewayLauncher.start(config, RewritingInterceptor.fromConfig(config, 1, credentials),
                metrics, channel);
        Reloader reloader = new Reloader(() -> new ConfigLoader(env).file(file).load(), server::reload, channel, config,
                credentials);
        ClusterNodes.follow(server, channel, reloader);
        AdminServer adminServer = null;
        if (!config.adminListen.isBlank()) {
            adminServer = AdminServer.start(config, metrics, credentials, server.upstreamUrl());
            adminServer.reloadWith(reloader);
        }
        return new FileConfiguredGateway(config, channel, server, adminServer, reloader);
    }

    /** The embedded engine this JVM's file-configured gateways share (its data directory is the tests' one). */
    static AdminChannel embeddedAdmin() {
        return new EngineAdminChannel(GatewayLauncher.embeddedEngine(EmbeddedGateway.config(Map.of())));
    }

    int port() {
        return server.address().getPort();
    }

    /** POST /reload on the admin listener. */
    HttpResponse<String> reload() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + adminServer.address().getPort() + "/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GET an admin endpoint. */
    HttpResponse<String> admin(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + adminServer.address().getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (adminServer != null) {
            adminServer.close();
        }
        server.close();
        if (reloader.credentials() != null) {
            reloader.credentials().abandon();
        }
    }
}
