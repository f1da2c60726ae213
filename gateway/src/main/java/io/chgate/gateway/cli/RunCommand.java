package io.chgate.gateway.cli;

import io.chgate.gateway.admin.AdminServer;
import io.chgate.gateway.observe.GatewayMetrics;
import io.chgate.gateway.admin.Reloader;
import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.ConfigProblem;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.credentials.ManagedCredentials;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.vault.AdminChannel;
import io.chgate.vault.EngineAdminChannel;
import io.chgate.vault.HttpAdminChannel;
import io.chgate.gateway.proxy.GatewayServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Start the gateway.")
final class RunCommand implements Callable<Integer> {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    /** Where chgate runs its own DDL: the engine itself when embedded, else the upstream as the admin user. */
    static AdminChannel adminChannel(GatewayConfig config) throws java.io.IOException {
        if (config.upstream.embedded.selected(config.upstream)) {
            return new EngineAdminChannel(GatewayLauncher.embeddedEngine(config));
        }
        String password = config.admin.passwordFile.isBlank() ? ""
                : java.nio.file.Files.readString(java.nio.file.Path.of(config.admin.passwordFile)).strip();
        javax.net.ssl.SSLContext tls = config.upstream.nodeUrls().stream().anyMatch(u -> u.startsWith("https:"))
                ? io.chgate.gateway.tls.ClientTls.create(config.upstream.tls.caFile.isBlank() ? null
                        : java.nio.file.Path.of(config.upstream.tls.caFile), config.upstream.tls.serverName,
                        config.upstream.tls.insecureSkipVerify).adminContext() : null;
        if (config.upstream.nodes.isEmpty()) {
            return new HttpAdminChannel(java.net.URI.create(config.upstream.url), config.admin.user, password, tls);
        }
        java.util.Map<String, AdminChannel> nodes = new java.util.LinkedHashMap<>();
        for (String url : config.upstream.nodes) {
            nodes.put(io.chgate.gateway.config.UpstreamAddress.parse(url).hostHeader(),
                    new HttpAdminChannel(java.net.URI.create(url), config.admin.user, password, tls));
        }
        return new io.chgate.vault.NodesAdminChannel(nodes);
    }

    @Override
    public Integer call() throws Exception {
        ConfigLoader.Loaded loaded = options.load();
        PrintWriter err = spec.commandLine().getErr();
        if (!loaded.ok()) {
            err.println("chgate: the configuration has " + loaded.problems().size() + " problem(s):");
            for (ConfigProblem problem : loaded.problems()) {
                err.println("  " + problem);
            }
            err.flush();
            return 2;
        }
        GatewayConfig config = loaded.config();
        ManagedCredentials credentials;
        AdminChannel adminChannel = adminChannel(config);
        try {
            credentials = ManagedCredentials.start(config, adminChannel);
            ManagedCredentials.dropRemovedDatabases(config, adminChannel);
        } catch (RuntimeException e) {
            err.println("chgate: cannot manage integration credentials: " + e.getMessage());
            err.flush();
            return 3;
        }
        GatewayMetrics metrics = new GatewayMetrics();
        GatewayServer server = GatewayLauncher.start(config, RewritingInterceptor.fromConfig(config, 1, credentials),
                metrics, adminChannel);
        Reloader reloader = new Reloader(options::load, server::reload, adminChannel, config, credentials);
        ClusterNodes.follow(server, adminChannel, reloader);
        io.chgate.gateway.admin.HangupReload.install(reloader);
        AdminServer admin = config.adminListen.isBlank() ? null
                : AdminServer.start(config, metrics, credentials, server.upstreamUrl());
        if (admin != null) {
            admin.reloadWith(reloader);
            admin.watch(server.upstreams());
            err.println("chgate admin endpoints (/health, /ready, /integrations, /metrics, POST /reload) on "
                    + admin.address().getHostString() + ":" + admin.address().getPort());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (admin != null) {
                admin.close();
            }
            server.close();
            if (reloader.credentials() != null) {
                reloader.credentials().close();
            }
        }, "chgate-shutdown"));
        var address = server.address();
        String scheme = address.equals(server.tlsAddress()) ? "https" : "http";
        err.println("chgate is up on " + scheme + "://" + address.getHostString() + ":" + address.getPort()
                + (server.tlsAddress() != null && scheme.equals("http") ? " and https://"
                        + server.tlsAddress().getHostString() + ":" + server.tlsAddress().getPort() : "")
                + ", forwarding to " + loaded.config().upstream.url + ". Try:");
        String login = config.users.isEmpty() ? "" : "-u '" + config.users.get(0).name + ":<password>' ";
        err.println("  curl " + login + "'" + scheme + "://" + address.getHostString() + ":" + address.getPort()
                + "/?query=SELECT%20version()'");
        if (config.users.isEmpty()) {
            log.warn("embedded".equals(config.upstream.url)
                    ? "no gateway users are configured: anyone who reaches " + config.listen + " may query the engine"
                            + " and use every integration; configure users: (see the README)"
                    : "no gateway users are configured: clients log in to ClickHouse directly through chgate, so"
                            + " least privilege rests on ClickHouse's own users; configure users: to map clients to"
                            + " least-privileged ClickHouse users (see the README)");
        }
        err.flush();
        server.awaitClose();
        return 0;
    }
}
