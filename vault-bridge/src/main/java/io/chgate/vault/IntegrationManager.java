package io.chgate.vault;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the credentials lifecycle of every managed integration: fetches them from Vault, keeps the integration's
 * named collection in ClickHouse current, and refreshes before the lease ends.
 *
 * <p>Cache semantics (Caffeine {@link AsyncLoadingCache}): one load per integration no matter how many requests
 * miss at once; a load is "fetch from Vault, then create or alter the collection", so ClickHouse never lags the
 * cache. Each entry expires when its lease does. A refresh is scheduled at about two thirds of the lease (with
 * 10-20% jitter); a failed refresh keeps the old, still valid credentials and retries with backoff, so an
 * unreachable Vault costs nothing until the lease really ends — then requests fail with
 * {@link IntegrationUnavailableException}, and the next request after Vault returns loads afresh.
 */
public final class IntegrationManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntegrationManager.class);

    /**
     * One external endpoint whose credentials chgate manages.
     *
     * @param source {@code postgresql} or {@code mysql}
     * @param schema the PostgreSQL schema the collection reads by default, or null
     * @param databases the integration databases chgate keeps for it (PostgreSQL)
     */
    public record Integration(String name, String source, String host, int port, String database,
            SecretSource secret, String collection, String schema, List<ManagedDatabase> databases,
            KafkaTables.Spec kafka) {
        public Integration {
            databases = List.copyOf(databases);
        }

        public Integration(String name, String source, String host, int port, String database, SecretSource secret,
                String collection, String schema, List<ManagedDatabase> databases) {
            this(name, source, host, port, database, secret, collection, schema, databases, null);
        }

        /** A Kafka integration: its collection holds the broker list and SASL login, its database the tables. */
        public static Integration kafka(String name, SecretSource secret, String collection, KafkaTables.Spec kafka) {
            return new Integration(name, "kafka", null, 0, null, secret, collection, null, List.of(), kafka);
        }

        public Integration(String name, String source, String host, int port, String database, SecretSource secret,
                String collection) {
            this(name, source, host, port, database, secret, collection, null, List.of());
        }
    }

    /**
     * A ClickHouse database, {@code ENGINE = PostgreSQL(<its collection>)}, exposing one schema of one database on
     * the integration's endpoint. Its collection is its own (named as the database, internal to chgate), since a
     * collection's {@code database} cannot be overridden.
     */
    public record ManagedDatabase(String name, String database, String schema) {
    }

    private record Current(Secret secret) {
    }

    /**
     * What an operator may know of an integration: never a secret value.
     *
     * @param loadedAt when its credentials were last fetched and applied, or null
     * @param expiresAt when their lease ends, or null for none
     * @param lastError the last failure's kind and message (Vault's or ClickHouse's, never a credential), or null
     */
    public record Status(String name, String collection, java.time.Instant loadedAt, java.time.Instant expiresAt,
            String lastError) {

        public boolean ready() {
            return loadedAt != null && (expiresAt == null || expiresAt.isAfter(java.time.Instant.now()));
        }
    }

    private final Map<String, Status> statuses = new ConcurrentHashMap<>();

    private final boolean namedCollections;
    private final VaultClient vault;
    private final AdminChannel admin;
    private final String cluster;
    private final Map<String, Integration> integrations = new LinkedHashMap<>();
    private final Duration kvRefresh;
    private final boolean revokeOnClose;
    private final ScheduledExecutorService scheduler;
    private final AsyncLoadingCache<String, Current> credentials;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    /** The collection values each integration database was last built with here; not yet built: absent. */
    private final Map<String, Map<String, String>> databasesBuiltWith = new ConcurrentHashMap<>();
    /** The same for each Kafka integration's tables. */
    private final Map<String, Map<String, String>> kafkaBuiltWith = new ConcurrentHashMap<>();

    public IntegrationManager(VaultClient vault, AdminChannel admin, List<Integration> integrations, String cluster,
            Duration kvRefresh, boolean revokeOnClose) {
        this(vault, admin, integrations, cluster, kvRefresh, revokeOnClose, true);
    }

    /**
     * @param namedCollections false for servers without named collections: credentials are only fetched and kept
     *     current here, for the gateway to write inline into queries; no DDL runs ({@code admin} may be null)
     */
    public IntegrationManager(VaultClient vault, AdminChannel admin, List<Integration> integrations, String cluster,
            Duration kvRefresh, boolean revokeOnClose, boolean namedCollections) {
        this.vault = vault;
        this.admin = admin;
        this.cluster = cluster;
        this.kvRefresh = kvRefresh;
        this.revokeOnClose = revokeOnClose;
        this.namedCollections = namedCollections;
        integrations.forEach(i -> this.integrations.put(i.name(), i));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chgate-credentials");
            t.setDaemon(true);
            return t;
        });
        this.credentials = Caffeine.newBuilder()
                .expireAfter(new Expiry<String, Current>() {
                    @Override
                    public long expireAfterCreate(String key, Current value, long now) {
                        return lifetime(value);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Current value, long now, long current) {
                        return lifetime(value);
                    }

                    @Override
                    public long expireAfterRead(String key, Current value, long now, long current) {
                        return current;
                    }
                })
                .buildAsync((name, executor) -> CompletableFuture.supplyAsync(() -> load(name), executor));
        scheduler.execute(this::keepTokenAlive);
    }

    /**
     * Renews chgate's own Vault token at about two thirds of its TTL while it is renewable: the leases of dynamic
     * credentials end with the token that created them. Root and non-expiring tokens have TTL 0 and need nothing.
     */
    private void keepTokenAlive() {
        long delaySeconds;
        try {
            var self = vault.lookupSelf();
            long ttl = self.path("ttl").asLong();
            if (ttl <= 0 || !self.path("renewable").asBoolean()) {
                return;
            }
            delaySeconds = Math.max(1, ttl * 2 / 3);
        } catch (VaultException e) {
            log.warn("cannot look up chgate's Vault token ({}); trying again in 30 s", e.getMessage());
            delaySeconds = 30;
        }
        scheduleTokenRenewal(delaySeconds);
    }

    private void scheduleTokenRenewal(long delaySeconds) {
        if (scheduler.isShutdown()) {
            return;
        }
        scheduler.schedule(() -> {
            long next;
            try {
                long ttl = vault.renewSelf();
                next = Math.max(1, ttl * 2 / 3);
            } catch (VaultException e) {
                log.warn("renewing chgate's Vault token failed ({}); trying again in 10 s", e.getMessage());
                next = 10;
            }
            scheduleTokenRenewal(next);
        }, delaySeconds, TimeUnit.SECONDS);
    }

    private static long lifetime(Current value) {
        long seconds = value.secret().leaseSeconds();
        return seconds > 0 ? TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
    }

    /** The integration by name, or null. */
    public Integration integration(String name) {
        return integrations.get(name);
    }

    /**
     * Completes with the integration's collection name once it exists in ClickHouse with valid credentials, or
     * fails with {@link IntegrationUnavailableException}.
     */
    public CompletableFuture<String> ensure(String name) {
        Integration integration = integrations.get(name);
        if (integration == null) {
            return CompletableFuture.failedFuture(new IntegrationUnavailableException(name, "no such integration"));
        }
        return credentials.get(name).handle((current, error) -> {
            if (error != null) {
                recordFailure(name, error);
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                throw new IntegrationUnavailableException(name, cause.getMessage());
            }
            return integration.collection();
        });
    }

    /** The integration's current credentials ({@code user}, {@code password}), fetched if needed. */
    public CompletableFuture<Map<String, String>> credentials(String name) {
        Integration integration = integrations.get(name);
        return ensure(name).thenCompose(collection -> credentials.get(name))
                .thenApply(current -> collectionValues(integration, current.secret()));
    }

    /**
     * The credential values in use now (user names and passwords of every loaded integration), for masking them in
     * any text chgate passes on: a server's error may quote what it was given.
     */
    public java.util.Set<String> secretValues() {
        java.util.Set<String> values = new java.util.HashSet<>();
        credentials.synchronous().asMap().values().forEach(current -> current.secret().data().forEach((key, value) -> {
            if (value != null && value.length() >= 4) {
                values.add(value);
            }
        }));
        return values;
    }

    /** Each integration's status, in configuration order. */
    public List<Status> statuses() {
        List<Status> all = new ArrayList<>();
        for (Integration integration : integrations.values()) {
            all.add(statuses.getOrDefault(integration.name(), new Status(integration.name(), integration.collection(),
                    null, null, "not loaded yet")));
        }
        return all;
    }

    private void recordFailure(String name, Throwable error) {
        BridgeStats.COLLECTION_FAILURES.increment();
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        Status was = statuses.get(name);
        Integration integration = integrations.get(name);
        statuses.put(name, new Status(name, integration.collection(), was == null ? null : was.loadedAt(),
                was == null ? null : was.expiresAt(), cause.getClass().getSimpleName() + ": " + cause.getMessage()));
    }

    /** Loads every integration now (at start), so the first query finds its collection ready. */
    public CompletableFuture<Void> ensureAll() {
        return CompletableFuture.allOf(integrations.keySet().stream().map(this::ensure)
                .toArray(CompletableFuture[]::new));
    }

    private Current load(String name) {
        Integration integration = integrations.get(name);
        Secret secret = integration.secret().fetch(vault);
        if (namedCollections) {
            apply(integration, secret);
        }
        failures.remove(name);
        BridgeStats.COLLECTION_REFRESHES.increment();
        java.time.Instant now = java.time.Instant.now();
        statuses.put(name, new Status(name, integration.collection(), now,
                secret.leaseSeconds() > 0 ? now.plusSeconds(secret.leaseSeconds()) : null, null));
        scheduleRefresh(name, refreshDelay(secret));
        log.info("integration {}: credentials from Vault applied to named collection {} ({})", name,
                integration.collection(), secret.leaseSeconds() > 0 ? "valid " + secret.leaseSeconds() + " s" : "no lease");
        return new Current(secret);
    }

    /** Writes the integration's collection, then its databases' collections, then builds what they changed. */
    private void apply(Integration integration, Secret secret) {
        apply(integration, secret, admin, false);
    }

    /**
     * @param node where to write: chgate's admin channel (every node), or one node coming back
     * @param rebuild build every database and table again, whatever this manager last wrote (a node that was away
     *     may hold credentials from before a rotation)
     */
    private void apply(Integration integration, Secret secret, AdminChannel node, boolean rebuild) {
        Map<String, String> collectionValues = collectionValues(integration, secret);
        writeCollection(node, integration, integration.collection(), collectionValues);
        if (integration.kafka() != null) {
            Map<String, String> before = rebuild ? kafkaBuiltWith.get(integration.name())
                    : kafkaBuiltWith.put(integration.name(), collectionValues);
            new KafkaTables(node).apply(integration.name(), integration.collection(), integration.kafka(),
                    rebuild || !collectionValues.equals(before));
            return;
        }
        IntegrationDatabases databases = new IntegrationDatabases(node);
        for (ManagedDatabase database : integration.databases()) {
            Map<String, String> values = collectionValues(integration, secret);
            values.put("database", database.database());
            values.put("schema", database.schema());
            writeCollection(node, integration, database.name(), values);
            String engine = "PostgreSQL(" + io.chgate.sql.SqlText.quoteIdentifier(database.name()) + ")";
            if (!rebuild && values.equals(databasesBuiltWith.get(database.name()))) {
                databases.ensure(integration.name(), database.name(), engine);
            } else {
                databases.replace(integration.name(), database.name(), engine);
                if (!rebuild) {
                    databasesBuiltWith.put(database.name(), values);
                }
            }
        }
    }

    /**
     * Writes every loaded integration's collections, databases and tables to one node, rebuilt with the credentials
     * in force: for a node coming back, before it takes requests. Integrations not loaded yet are written when they
     * load, as everywhere.
     */
    public CompletableFuture<Void> bringCurrent(AdminChannel node) {
        return CompletableFuture.runAsync(() -> {
            for (Integration integration : integrations.values()) {
                CompletableFuture<Current> loaded = credentials.getIfPresent(integration.name());
                if (loaded != null && loaded.isDone() && !loaded.isCompletedExceptionally() && namedCollections) {
                    apply(integration, loaded.join().secret(), node, true);
                }
            }
        }, scheduler);
    }

    /**
     * Creates the collection, or brings an existing one (from an earlier run, a rotation) to exactly the values
     * chgate wants: keys someone else added are deleted and logged, since any of them could redirect a connection.
     */
    private void writeCollection(AdminChannel node, Integration integration, String collection,
            Map<String, String> values) {
        try {
            node.execute(NamedCollectionDdl.create(collection, values, cluster));
            List<String> stray = strayKeys(node, collection, values);
            if (!stray.isEmpty()) {
                log.warn("integration {}: named collection {} had keys chgate did not set, {}; removing them",
                        integration.name(), collection, stray);
            }
            node.execute(NamedCollectionDdl.alter(collection, values, stray, cluster));
        } catch (AdminException e) {
            // ClickHouse quotes the refused statement in its error, and this one holds the password: keep only the code.
            throw new AdminException(e.code(), "ClickHouse refused the named-collection DDL for integration '"
                    + integration.name() + "' with error code " + e.code());
        }
    }

    private static List<String> strayKeys(AdminChannel node, String collection, Map<String, String> wanted) {
        List<String> stray = new ArrayList<>();
        for (String key : node.execute(NamedCollectionDdl.keys(collection)).split("\n")) {
            if (!key.isEmpty() && !wanted.containsKey(key)) {
                stray.add(key);
            }
        }
        return stray;
    }

    static Map<String, String> collectionValues(Integration integration, Secret secret) {
        Map<String, String> values = new LinkedHashMap<>();
        if (integration.kafka() != null) {
            KafkaTables.Spec kafka = integration.kafka();
            values.put("kafka_broker_list", kafka.brokers());
            values.put("kafka_security_protocol", kafka.securityProtocol());
            if (kafka.saslMechanism() != null) {
                values.put("kafka_sasl_mechanism", kafka.saslMechanism());
                values.put("kafka_sasl_username", first(secret.data(), "username", "user"));
                values.put("kafka_sasl_password", first(secret.data(), "password"));
            }
            return values;
        }
        // ClickHouse takes addresses_expr over host and port; it must be set to be locked against overrides.
        String host = integration.host().indexOf(':') >= 0 ? "[" + integration.host() + "]" : integration.host();
        values.put("addresses_expr", host + ":" + integration.port());
        values.put("host", integration.host());
        values.put("port", Integer.toString(integration.port()));
        values.put("database", integration.database());
        values.put("user", first(secret.data(), "username", "user"));
        values.put("password", first(secret.data(), "password"));
        if (integration.source().equals("postgresql")) {
            // Always a schema: without one, a dictionary reads an unqualified table through the login's search_path,
            // which begins with pg_catalog (TABLE 'pg_roles' read every role, measured on the 26.7 engine).
            values.put("schema", integration.schema() != null ? integration.schema() : "public");
        }
        // No "table": queries name it (table = '...'), and the database engines refuse a collection that has one.
        return values;
    }

    private static String first(Map<String, String> data, String... keys) {
        for (String key : keys) {
            String value = data.get(key);
            if (value != null) {
                return value;
            }
        }
        throw new VaultException(200, "secret", "the secret has none of the keys " + List.of(keys));
    }

    private Duration refreshDelay(Secret secret) {
        if (secret.leaseSeconds() <= 0) {
            return kvRefresh;
        }
        double jitter = 1 - ThreadLocalRandom.current().nextDouble(0.1, 0.2);
        return Duration.ofMillis((long) (secret.leaseSeconds() * 1000 * 2 / 3 * jitter));
    }

    private void scheduleRefresh(String name, Duration delay) {
        if (scheduler.isShutdown()) {
            return;
        }
        scheduler.schedule(() -> credentials.synchronous().refresh(name).whenComplete((value, error) -> {
            if (error != null) {
                recordFailure(name, error);
                int attempt = failures.merge(name, 1, Integer::sum);
                Duration backoff = Duration.ofSeconds(Math.min(300, 10L << Math.min(5, attempt - 1)));
                log.warn("integration {}: refreshing credentials failed ({}); keeping the current ones, retry in {} s",
                        name, error.getClass().getSimpleName(), backoff.toSeconds());
                scheduleRefresh(name, backoff);
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Drops the collection of an integration that was removed from the configuration. */
    public void drop(String collection) {
        admin.execute(NamedCollectionDdl.drop(collection, cluster));
    }

    /**
     * Stops refreshing without revoking: for a manager whose credentials may already be in the collections others
     * use (a reload that was not applied).
     */
    public void abandon() {
        scheduler.shutdownNow();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (!revokeOnClose) {
            return;
        }
        List<String> leases = new ArrayList<>();
        credentials.synchronous().asMap().values().forEach(c -> {
            if (c.secret().leaseId() != null) {
                leases.add(c.secret().leaseId());
            }
        });
        for (String lease : leases) {
            try {
                vault.revokeLease(lease);
            } catch (VaultException e) {
                log.warn("revoking a lease at shutdown failed: {}", e.getMessage());
            }
        }
    }
}
