package io.chgate.gateway.credentials;

import io.chgate.gateway.config.GatewayConfig;
import io.chgate.vault.AdminChannel;
import io.chgate.vault.Capabilities;
import io.chgate.vault.IntegrationManager;
import io.chgate.vault.KafkaTables;
import io.chgate.vault.SecretSource;
import io.chgate.vault.VaultClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's side of vault-bridge: built from the configuration, asked before a rewritten query is forwarded. */
public final class ManagedCredentials implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ManagedCredentials.class);

    private final IntegrationManager manager;
    private final Map<String, String> integrationByCollection;
    private final boolean inline;
    /** Completes when the start's superuser checks have (each logs its own warning). */
    private CompletableFuture<Void> superuserChecks = CompletableFuture.completedFuture(null);

    private ManagedCredentials(IntegrationManager manager, Map<String, String> integrationByCollection,
            boolean inline) {
        this.manager = manager;
        this.integrationByCollection = integrationByCollection;
        this.inline = inline;
    }

    /** Whether credentials travel inline in queries rather than in named collections. */
    public boolean inline() {
        return inline;
    }

    /** The connection values (host, port, database, user, password) of each managed collection among these. */
    public CompletableFuture<Map<String, Map<String, String>>> values(Collection<String> collections) {
        Map<String, CompletableFuture<Map<String, String>>> pending = new HashMap<>();
        for (String collection : collections) {
            String integration = integrationByCollection.get(collection);
            if (integration != null) {
                pending.put(collection, manager.credentials(integration));
            }
        }
        return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, Map<String, String>> out = new HashMap<>();
            pending.forEach((collection, future) -> out.put(collection, future.join()));
            return out;
        });
    }

    /** Writes every loaded integration's collections and databases to one node (a node coming back). */
    public java.util.concurrent.CompletableFuture<Void> bringCurrent(AdminChannel node) {
        return inline ? java.util.concurrent.CompletableFuture.completedFuture(null) : manager.bringCurrent(node);
    }

    /** Null when no integration has credentials for chgate to manage. */
    public static ManagedCredentials start(GatewayConfig config, AdminChannel admin) {
        List<IntegrationManager.Integration> managed = new ArrayList<>();
        Map<String, String> byCollection = new HashMap<>();
        for (GatewayConfig.Integration i : config.integrations) {
            if ("kafka".equals(i.source) && i.modesInEffect().contains("managed_database")) {
                managed.add(IntegrationManager.Integration.kafka(i.name, i.credentials == null
                        ? new SecretSource.None() : source(i.credentials), i.collectionName(), kafka(i)));
                byCollection.put(i.collectionName(), i.name);
                continue;
            }
            if (i.credentials == null) {
                continue;
            }
            int colon = i.address.lastIndexOf(':');
            String host = colon < 0 ? i.address : i.address.substring(0, colon);
            int port = colon < 0 ? (i.source.equals("mysql") ? 3306 : 5432) : Integer.parseInt(i.address.substring(colon + 1));
            managed.add(new IntegrationManager.Integration(i.name, i.source, host, port, i.database, source(i.credentials),
                    i.collectionName(), "postgresql".equals(i.source) ? i.schemaInEffect() : null,
                    i.databasesInEffect().stream().map(d ->
                            new IntegrationManager.ManagedDatabase(d.name, d.database, d.schema)).toList()));
            byCollection.put(i.collectionName(), i.name);
        }
        if (managed.isEmpty()) {
            return null;
        }
        boolean inline = "inline".equals(config.managedCredentials);
        if (inline) {
            log.warn("managed_credentials: inline is UNSAFE against a client with a ClickHouse login: credentials from"
                    + " Vault are written into forwarded queries, so every user who can read system.processes or"
                    + " system.query_log (every user on servers without access control) can read them; use named"
                    + " collections (ClickHouse 22.12+) where you can");
        } else {
            Capabilities capabilities = Capabilities.detect(admin);
            if (!capabilities.namedCollections()) {
                throw new IllegalStateException(capabilities.whyNot() + ", or set managed_credentials: inline");
            }
            for (GatewayConfig.Integration i : config.integrations) {
                if ("kafka".equals(i.source) && i.saslMechanismInEffect() != null
                        && !capabilities.kafkaSaslInCollections()) {
                    throw new IllegalStateException("integration '" + i.name + "': ClickHouse "
                            + capabilities.version() + " cannot take a Kafka SASL login from a named collection"
                            + " (25.4 or newer can), so chgate will not manage it: give the server a <kafka> section"
                            + " with the login, and the integration security_protocol: PLAINTEXT, or upgrade");
                }
            }
        }
        IntegrationManager manager = new IntegrationManager(vaultClient(config.vault), admin, managed, null,
                config.vault.kvRefresh, config.vault.revokeOnShutdown, !inline);
        ManagedCredentials credentials = new ManagedCredentials(manager, byCollection, inline);
        credentials.superuserChecks = manager.ensureAll().handle((ok, error) -> {
            if (error != null) {
                log.warn("not every integration could be prepared at start (they will be retried on use): {}",
                        error.getCause() == null ? error.getMessage() : error.getCause().getMessage());
            }
            return null;
        }).thenCompose(done -> inline ? CompletableFuture.completedFuture(null)
                : SuperuserWarning.check(manager, admin, managed));
        return credentials;
    }

    /**
     * Drops the integration databases chgate made for integrations (or pairs) this configuration no longer has, and
     * their collections; anything without chgate's mark stays. Failures are logged, never fatal: a server too old
     * for database comments has no such databases.
     */
    public static void dropRemovedDatabases(GatewayConfig config, AdminChannel admin) {
        if (admin == null || "inline".equals(config.managedCredentials)) {
            return;
        }
        java.util.Set<String> wanted = new java.util.HashSet<>();
        config.integrations.forEach(i -> wanted.addAll(i.integrationDatabaseNames()));
        try {
            List<String> dropped = new io.chgate.vault.IntegrationDatabases(admin).dropAllBut(wanted);
            if (!dropped.isEmpty()) {
                log.info("dropped the integration databases no configured integration has: {}", dropped);
            }
        } catch (RuntimeException e) {
            log.debug("integration databases not reconciled: {}", e.getMessage());
        }
    }

    private static KafkaTables.Spec kafka(GatewayConfig.Integration i) {
        List<KafkaTables.Table> tables = new ArrayList<>();
        for (GatewayConfig.KafkaTable t : i.tables) {
            tables.add(new KafkaTables.Table(t.name, t.columns.stream().map(c -> new KafkaTables.Column(c.name,
                    c.type)).toList(), t.engineSettings()));
        }
        return new KafkaTables.Spec(i.address, i.securityProtocolInEffect(), i.saslMechanismInEffect(),
                i.kafkaDatabase(), tables);
    }

    private static SecretSource source(GatewayConfig.Credentials c) {
        if (c.kv != null) {
            return new SecretSource.Kv2(c.kv.mount, c.kv.path, c.kv.version,
                    c.kv.userKey.isBlank() ? null : c.kv.userKey, c.kv.passwordKey.isBlank() ? null : c.kv.passwordKey);
        }
        if (c.databaseRole != null) {
            return new SecretSource.DynamicDatabase(c.databaseRole.mount, c.databaseRole.role);
        }
        if (c.staticRole != null) {
            return new SecretSource.StaticDatabase(c.staticRole.mount, c.staticRole.role);
        }
        throw new IllegalArgumentException("credentials need one of kv, database_role, static_role");
    }

    static VaultClient vaultClient(GatewayConfig.Vault v) {
        VaultClient.Auth auth = switch (v.auth) {
            case "approle" -> new VaultClient.Auth.AppRole(v.authMount.isBlank() ? "approle" : v.authMount, v.roleId,
                    read(v.secretIdFile));
            case "kubernetes" -> new VaultClient.Auth.Kubernetes(v.authMount.isBlank() ? "kubernetes" : v.authMount,
                    v.role, Path.of(v.jwtFile));
            default -> new VaultClient.Auth.Token(v.tokenFile.isBlank() ? v.token : read(v.tokenFile));
        };
        HttpClient http = io.chgate.vault.VaultTls.client(v.caFile.isBlank() ? null : Path.of(v.caFile), v.tlsSkipVerify);
        return new VaultClient(URI.create(v.address), v.namespace, auth, http, Duration.ofSeconds(10));
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Completes when every managed collection among these exists with valid credentials. */
    /**
     * Fetches every integration's credentials and writes its collection now, waiting at most {@code timeout}.
     *
     * @throws IllegalStateException naming what failed (never a secret)
     */
    public void ensureAll(Duration timeout) {
        try {
            manager.ensureAll().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(cause.getMessage(), null);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("integrations not ready within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing integrations");
        }
    }

    /** Completes when the start's checks for superuser logins have logged what they found. */
    public CompletableFuture<Void> superuserChecks() {
        return superuserChecks;
    }

    /** Stops managing without revoking anything (see {@link IntegrationManager#abandon()}). */
    public void abandon() {
        manager.abandon();
    }

    /** Each managed integration's status (never a secret). */
    public List<io.chgate.vault.IntegrationManager.Status> statuses() {
        return manager.statuses();
    }

    /** The credential values in use now, to be masked wherever a server's text passes through chgate. */
    public java.util.Set<String> secretValues() {
        return manager.secretValues();
    }

    public CompletableFuture<Void> ensure(Collection<String> collections) {
        List<CompletableFuture<String>> pending = new ArrayList<>();
        for (String collection : collections) {
            String integration = integrationByCollection.get(collection);
            if (integration != null) {
                pending.add(manager.ensure(integration));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        manager.close();
    }
}
