package io.chgate.gateway.admin;

import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.ConfigProblem;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.credentials.ManagedCredentials;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.vault.AdminChannel;
import io.chgate.vault.NamedCollectionDdl;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a new configuration to a running gateway: an invalid one is rejected with its problems and the running
 * one keeps serving; a valid one puts its users, policy and integrations in force — credentials for added or changed
 * integrations are fetched and their collections written before any request is decided by them, and the collections
 * of integrations no longer configured are dropped. What needs a new listener or upstream (addresses, limits,
 * threads) is reported as needing a restart and left as it is.
 */
public final class Reloader {
    private static final Logger log = LoggerFactory.getLogger(Reloader.class);

    /** What a reload did. */
    public record Result(boolean applied, List<String> problems, List<String> needRestart) {
    }

    private final Supplier<ConfigLoader.Loaded> source;
    private final Reloadable listener;
    private final AdminChannel admin;
    private GatewayConfig current;
    private ManagedCredentials credentials;
    private long version = 1;

    public Reloader(Supplier<ConfigLoader.Loaded> source, Reloadable listener, AdminChannel admin,
            GatewayConfig current, ManagedCredentials credentials) {
        this.source = source;
        this.listener = listener;
        this.admin = admin;
        this.current = current;
        this.credentials = credentials;
    }

    /** The configuration in force now. */
    public synchronized GatewayConfig config() {
        return current;
    }

    /** The integrations' credentials in force now (they change with each reload). */
    public synchronized ManagedCredentials credentials() {
        return credentials;
    }

    public synchronized Result reload() {
        ConfigLoader.Loaded loaded = source.get();
        if (!loaded.ok()) {
            return new Result(false, loaded.problems().stream().map(ConfigProblem::toString).toList(), List.of());
        }
        GatewayConfig next = loaded.config();
        ManagedCredentials nextCredentials;
        try {
            nextCredentials = ManagedCredentials.start(next, admin);
        } catch (RuntimeException e) {
            return new Result(false, List.of("cannot manage integration credentials: " + e.getMessage()), List.of());
        }
        if (nextCredentials != null) {
            try {
                nextCredentials.ensureAll(java.time.Duration.ofSeconds(30));
            } catch (IllegalStateException e) {
                nextCredentials.abandon();   // its fresh credentials may already be in collections in use
                return new Result(false, List.of("integrations not ready, configuration not applied: "
                        + e.getMessage()), List.of());
            }
        }
        listener.reload(next, RewritingInterceptor.fromConfig(next, ++version, nextCredentials));
        dropRemovedCollections(next);
        ManagedCredentials.dropRemovedDatabases(next, admin);
        ManagedCredentials previous = credentials;
        List<String> needRestart = needRestart(current, next);
        current = next;
        credentials = nextCredentials;
        if (previous != null) {
            previous.close();
        }
        log.info("configuration reloaded: {} users, {} integrations{}", next.users.size(), next.integrations.size(),
                needRestart.isEmpty() ? "" : "; needs a restart to change " + needRestart);
        return new Result(true, List.of(), needRestart);
    }

    private void dropRemovedCollections(GatewayConfig next) {
        Set<String> kept = next.integrations.stream().map(GatewayConfig.Integration::collectionName)
                .collect(Collectors.toSet());
        for (GatewayConfig.Integration removed : current.integrations) {
            // chgate writes the collection of an integration with credentials, and of every Kafka integration
            boolean chgates = removed.credentials != null || "kafka".equals(removed.source);
            if (chgates && !kept.contains(removed.collectionName()) && admin != null
                    && !"inline".equals(current.managedCredentials)) {
                try {
                    admin.execute(NamedCollectionDdl.drop(removed.collectionName(), null));
                } catch (RuntimeException e) {
                    log.warn("dropping the collection of removed integration {} failed: {}", removed.name,
                            e.getClass().getSimpleName());
                }
            }
        }
    }

    private static List<String> needRestart(GatewayConfig a, GatewayConfig b) {
        List<String> keys = new ArrayList<>();
        if (!Objects.equals(a.listen, b.listen)) {
            keys.add("listen");
        }
        if (!Objects.equals(a.listenTls.address, b.listenTls.address)) {
            keys.add("listen_tls.address");
        }
        if (!Objects.equals(a.upstream.tls.caFile, b.upstream.tls.caFile)
                || !Objects.equals(a.upstream.tls.serverName, b.upstream.tls.serverName)
                || a.upstream.tls.insecureSkipVerify != b.upstream.tls.insecureSkipVerify) {
            keys.add("upstream.tls");
        }
        if (!Objects.equals(a.adminListen, b.adminListen)) {
            keys.add("admin_listen");
        }
        if (!Objects.equals(a.upstream.url, b.upstream.url)) {
            keys.add("upstream.url");
        }
        if (!Objects.equals(a.upstream.nodes, b.upstream.nodes)) {
            keys.add("upstream.nodes");
        }
        if (a.threads != b.threads) {
            keys.add("threads");
        }
        if (a.accessLog != b.accessLog || a.accessLogSql != b.accessLogSql) {
            keys.add("access_log");
        }
        if (!Objects.equals(a.limits.maxQuerySize, b.limits.maxQuerySize)) {
            keys.add("limits.max_query_size");
        }
        return keys;
    }
}
