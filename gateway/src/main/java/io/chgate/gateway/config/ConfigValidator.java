package io.chgate.gateway.config;

import io.chgate.gateway.integration.IntegrationLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The checks binding alone cannot make: addresses that parse, limits in range, timeouts that make sense. */
final class ConfigValidator {
    private ConfigValidator() {
    }

    static List<ConfigProblem> validate(GatewayConfig c) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (c.listen == null || c.listen.isBlank()) {
            if (!c.listenTls.enabled()) {
                problems.add(new ConfigProblem("", "listen", "give listen or listen_tls.address (or both)"));
            }
        } else {
            try {
                HostPort.parse(c.listen);
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("", "listen", e.getMessage()));
            }
        }
        TlsValidator.validate(c, problems);
        if (c.adminListen != null && !c.adminListen.isBlank()) {
            try {
                HostPort admin = HostPort.parse(c.adminListen);
                if (c.listen != null && c.adminListen.equals(c.listen) && admin.port() != 0) {
                    problems.add(new ConfigProblem("", "admin_listen", "must differ from listen"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("", "admin_listen", e.getMessage()));
            }
        }
        for (int i = 0; i < c.upstream.nodes.size(); i++) {
            try {
                UpstreamAddress.parse(String.valueOf(c.upstream.nodes.get(i)));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("", "upstream.nodes[" + i + "]", e.getMessage()));
            }
        }
        if (!c.upstream.nodes.isEmpty() && "embedded".equals(c.upstream.url)) {
            problems.add(new ConfigProblem("", "upstream.nodes", "the embedded engine is one node in this process;"
                    + " give nodes with a ClickHouse server url, or no nodes"));
        }
        if (!"least_loaded".equals(c.upstream.balance) && !"round_robin".equals(c.upstream.balance)) {
            problems.add(new ConfigProblem("", "upstream.balance", "must be least_loaded or round_robin"));
        }
        positive(problems, "upstream.health_check_interval", c.upstream.healthCheckInterval);
        if (!"embedded".equals(c.upstream.url)) {
            try {
                UpstreamAddress.parse(c.upstream.url);
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("", "upstream.url", e.getMessage()));
            }
        }
        if (!c.upstream.engineKeyFile.isBlank()) {
            if ("embedded".equals(c.upstream.url)) {
                problems.add(new ConfigProblem("", "upstream.engine_key_file", "the embedded engine makes its own key;"
                        + " this names the key of chgate engine nodes"));
            } else {
                try {
                    io.chgate.gateway.http.EngineKey.fromFile(java.nio.file.Path.of(c.upstream.engineKeyFile));
                } catch (java.io.IOException | RuntimeException e) {
                    problems.add(new ConfigProblem("", "upstream.engine_key_file", e.getMessage()));
                }
            }
        }
        if (c.upstream.embedded.connections < 1) {
            problems.add(new ConfigProblem("", "upstream.embedded.connections", "must be 1 or more"));
        }
        positive(problems, "upstream.connect_timeout", c.upstream.connectTimeout);
        positive(problems, "upstream.idle_timeout", c.upstream.idleTimeout);
        if (c.upstream.requestTimeout.isNegative()) {
            problems.add(new ConfigProblem("", "upstream.request_timeout", "must be 0 (no limit) or positive"));
        }
        if (c.upstream.poolMaxIdle < 0) {
            problems.add(new ConfigProblem("", "upstream.pool_max_idle", "must be 0 or more"));
        }
        positive(problems, "upstream.pool_idle_timeout", c.upstream.poolIdleTimeout);
        range(problems, "limits.max_query_size", c.limits.maxQuerySize, 1024, 64L << 20);
        range(problems, "limits.max_request_header_size", c.limits.maxRequestHeaderSize, 1024, 64L << 20);
        range(problems, "limits.max_response_header_size", c.limits.maxResponseHeaderSize, 1024, 256L << 20);
        if (!"named_collections".equals(c.managedCredentials) && !"inline".equals(c.managedCredentials)) {
            problems.add(new ConfigProblem("", "managed_credentials", "must be named_collections or inline"));
        }
        if (!"refuse".equals(c.unmanagedReferences) && !"allow".equals(c.unmanagedReferences)) {
            problems.add(new ConfigProblem("", "unmanaged_references", "must be refuse or allow"));
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        java.util.Set<String> databaseNames = new java.util.HashSet<>();
        for (int i = 0; i < c.integrations.size(); i++) {
            GatewayConfig.Integration integration = c.integrations.get(i);
            String at = "integrations[" + i + "]";
            if (integration == null) {
                problems.add(new ConfigProblem("", at, "empty integration"));
                continue;
            }
            if (integration.name == null || integration.name.isBlank()) {
                problems.add(new ConfigProblem("", at + ".name", "every integration needs a name"));
            } else if (!names.add(integration.name)) {
                problems.add(new ConfigProblem("", at + ".name", "duplicate integration name '" + integration.name + "'"));
            }
            if (!java.util.Set.of("postgresql", "mysql", "kafka").contains(String.valueOf(integration.source))) {
                problems.add(new ConfigProblem("", at + ".source", "must be postgresql, mysql or kafka"));
            }
            if (integration.address == null || integration.address.isBlank()) {
                problems.add(new ConfigProblem("", at + ".address", "needs host:port (for kafka: the broker list)"));
            }
            if (!"kafka".equals(integration.source) && (integration.database == null || integration.database.isBlank())) {
                problems.add(new ConfigProblem("", at + ".database", "needs the database on the endpoint"));
            }
            limitation(integration, at, problems);
            remoteScope(integration, at, problems);
            managedDatabases(c, integration, at, databaseNames, problems);
            KafkaTablesValidator.validate(c, integration, at, databaseNames, problems);
        }
        validateUsers(c, names, problems);
        validateCaches(c, problems);
        networks(problems, "allowed_networks", c.allowedNetworks);
        positive(problems, "limits.request_header_timeout", c.limits.requestHeaderTimeout);
        notNegative(problems, "limits.max_execution_time", c.limits.maxExecutionTime);
        if (c.limits.maxConnections < 1) {
            problems.add(new ConfigProblem("", "limits.max_connections", "must be 1 or more"));
        }
        if (c.limits.authFailuresPerMinute < 1) {
            problems.add(new ConfigProblem("", "limits.auth_failures_per_minute", "must be 1 or more"));
        }
        if (c.limits.authFailuresPerMinutePerAddress < 1) {
            problems.add(new ConfigProblem("", "limits.auth_failures_per_minute_per_address", "must be 1 or more"));
        }
        if (c.limits.authFailuresPerMinutePerUser < 1) {
            problems.add(new ConfigProblem("", "limits.auth_failures_per_minute_per_user", "must be 1 or more"));
        }
        if (c.threads < 0) {
            problems.add(new ConfigProblem("", "threads", "must be 0 (one per core) or more"));
        }
        return problems;
    }

    /**
     * PostgreSQL integration databases: at most 10 {database, schema} pairs (the managed service's limit), each name
     * 1–63 characters, and every database name unique and no integration's collection (a database's collection is
     * named as the database).
     */
    private static void managedDatabases(GatewayConfig c, GatewayConfig.Integration integration, String at,
            java.util.Set<String> databaseNames, List<ConfigProblem> problems) {
        if (integration.managedDatabases.isEmpty()) {
            return;
        }
        if (!"postgresql".equals(integration.source)) {
            problems.add(new ConfigProblem("", at + ".managed_databases", "integration '" + integration.name
                    + "': {database, schema} pairs are PostgreSQL's; "
                    + ("kafka".equals(integration.source) ? "a Kafka integration's database is managed_database: <name>"
                            : "a " + integration.source + " integration has no managed database")));
            return;
        }
        if (integration.managedDatabases.contains(null)) {
            problems.add(new ConfigProblem("", at + ".managed_databases", "an empty entry: give {database, schema}"));
            return;
        }
        if (integration.managedDatabases.size() > 10) {
            problems.add(new ConfigProblem("", at + ".managed_databases", "integration '" + integration.name
                    + "' has " + integration.managedDatabases.size() + " managed databases; at most 10"));
        }
        if (integration.credentials == null) {
            problems.add(new ConfigProblem("", at + ".managed_databases", "integration '" + integration.name
                    + "': chgate builds managed databases with the credentials it fetches: give credentials"));
        }
        if ("inline".equals(c.managedCredentials)) {
            problems.add(new ConfigProblem("", at + ".managed_databases", "integration '" + integration.name
                    + "': managed databases need named collections (managed_credentials: named_collections)"));
        }
        java.util.Set<String> collections = new java.util.HashSet<>();
        c.integrations.forEach(i -> collections.add(i == null ? null : i.collectionName()));
        List<GatewayConfig.ManagedDatabase> resolved = integration.databasesInEffect();
        int first = resolved.size() - integration.managedDatabases.size();
        for (int d = 0; d < integration.managedDatabases.size(); d++) {
            GatewayConfig.ManagedDatabase database = resolved.get(first + d);
            String where = at + ".managed_databases[" + d + "]";
            for (String[] part : new String[][] {{"database", database.database}, {"schema", database.schema},
                    {"name", database.name}}) {
                if (part[1] == null || part[1].isEmpty() || part[1].length() > 63) {
                    problems.add(new ConfigProblem("", where + "." + part[0], "must be 1 to 63 characters"));
                }
            }
            if (database.name != null && !databaseNames.add(database.name)) {
                problems.add(new ConfigProblem("", where + ".name", "duplicate managed database '" + database.name
                        + "' (the default name is <integration>_<database>_<schema>)"));
            } else if (collections.contains(database.name)) {
                problems.add(new ConfigProblem("", where + ".name", "'" + database.name + "' is an integration's"
                        + " collection; a managed database's own collection takes its name: choose another"));
            }
        }
    }

    /** {@code schemas}: PostgreSQL's only, {@code schema} among them; {@code allow_remote_sql}: not for Kafka. */
    private static void remoteScope(GatewayConfig.Integration integration, String at, List<ConfigProblem> problems) {
        if (integration.schemas != null && !integration.schemas.isEmpty()) {
            if (!"postgresql".equals(integration.source)) {
                problems.add(new ConfigProblem("", at + ".schemas", "integration '" + integration.name
                        + "': schemas are PostgreSQL's; a " + integration.source + " integration reaches its database"
                        + " only"));
                return;
            }
            for (String schema : integration.schemas) {
                if (schema == null || schema.isEmpty() || schema.length() > 63) {
                    problems.add(new ConfigProblem("", at + ".schemas", "each schema must be 1 to 63 characters"));
                    return;
                }
            }
            if (integration.schema != null && !integration.schemas.contains(integration.schema)) {
                problems.add(new ConfigProblem("", at + ".schemas", "integration '" + integration.name
                        + "': its schema '" + integration.schema + "' (what a query reads when it names none) must be"
                        + " one of its schemas"));
            }
        }
        if (integration.allowRemoteSql && "kafka".equals(integration.source)) {
            problems.add(new ConfigProblem("", at + ".allow_remote_sql", "integration '" + integration.name
                    + "': Kafka runs no SQL; remove allow_remote_sql"));
        }
    }

    /** The seed's limitations ({@link IntegrationLimits}), naming the integration and the rule it breaks. */
    private static void limitation(GatewayConfig.Integration integration, String at, List<ConfigProblem> problems) {
        IntegrationLimits.Kind kind = IntegrationLimits.kind(integration.source);
        IntegrationLimits.Location location = IntegrationLimits.location(integration.location);
        if (location == null) {
            problems.add(new ConfigProblem("", at + ".location", "must be external or in_cluster"));
            return;
        }
        java.util.Set<IntegrationLimits.Mode> modes = java.util.EnumSet.noneOf(IntegrationLimits.Mode.class);
        for (String mode : integration.modesInEffect()) {
            IntegrationLimits.Mode m = IntegrationLimits.mode(mode);
            if (m == null) {
                problems.add(new ConfigProblem("", at + ".modes", "'" + mode
                        + "' is not a mode: managed_credentials or managed_database"));
                return;
            }
            modes.add(m);
        }
        if (kind == null) {
            return;   // reported with the source
        }
        String why = IntegrationLimits.violation(kind, location, modes);
        if (why != null) {
            problems.add(new ConfigProblem("", at + ".modes", "integration '" + integration.name + "': " + why));
        }
    }

    private static void validateUsers(GatewayConfig c, java.util.Set<String> integrations,
            List<ConfigProblem> problems) {
        java.util.Set<String> names = new java.util.HashSet<>();
        boolean embedded = "embedded".equals(c.upstream.url);
        for (int i = 0; i < c.users.size(); i++) {
            GatewayConfig.User user = c.users.get(i);
            String at = "users[" + i + "]";
            if (user == null) {
                problems.add(new ConfigProblem("", at, "empty user"));
                continue;
            }
            if (user.name == null || user.name.isBlank()) {
                problems.add(new ConfigProblem("", at + ".name", "every user needs a name"));
            } else if (!names.add(user.name)) {
                problems.add(new ConfigProblem("", at + ".name", "duplicate user name '" + user.name + "'"));
            }
            boolean certificateOnly = user.passwordSha256Hex == null && !user.tlsSubject.isBlank();
            if (!certificateOnly && (user.passwordSha256Hex == null
                    || !user.passwordSha256Hex.matches("[0-9a-fA-F]{64}"))) {
                problems.add(new ConfigProblem("", at + ".password_sha256_hex",
                        "needs the SHA-256 of the password as 64 hex digits (echo -n 'pw' | sha256sum)"));
            }
            if (!embedded && (user.clickhouse == null || user.clickhouse.user == null || user.clickhouse.user.isBlank())) {
                problems.add(new ConfigProblem("", at + ".clickhouse.user",
                        "names the ClickHouse user this user's requests run as"));
            } else if (!embedded && user.clickhouse.user.equals(c.admin.user)) {
                problems.add(new ConfigProblem("", at + ".clickhouse.user", "is chgate's admin user '" + c.admin.user
                        + "'; a client must never run as it: give this user a ClickHouse user of least privilege"));
            }
            for (String source : user.sources) {
                if (!io.chgate.sql.SourceRegistry.isKnownSource(source)) {
                    problems.add(new ConfigProblem("", at + ".sources", "'" + source
                            + "' is no table function, engine or dictionary source ClickHouse has"));
                } else if (io.chgate.sql.CollectionResolver.managedSource(source.toLowerCase(java.util.Locale.ROOT))
                        != null) {
                    problems.add(new ConfigProblem("", at + ".sources", "'" + source
                            + "' is an integration kind: give integrations: instead"));
                }
            }
            networks(problems, at + ".allowed_networks", user.allowedNetworks);
            if (user.maxConcurrentQueries < 0) {
                problems.add(new ConfigProblem("", at + ".max_concurrent_queries", "must be 0 (the default) or more"));
            }
            if (user.maxQueueSize < 0) {
                problems.add(new ConfigProblem("", at + ".max_queue_size", "must be 0 (no queue) or more"));
            }
            positive(problems, at + ".max_queue_time", user.maxQueueTime);
            if (user.requestsPerMinute < 0) {
                problems.add(new ConfigProblem("", at + ".requests_per_minute", "must be 0 (no limit) or more"));
            }
            notNegative(problems, at + ".max_execution_time", user.maxExecutionTime);
            if (user.cache != null && !user.cache.isBlank()
                    && c.caches.stream().noneMatch(k -> k != null && user.cache.equals(k.name))) {
                problems.add(new ConfigProblem("", at + ".cache", "no cache named '" + user.cache + "' in caches"));
            }
            for (String integration : user.integrations) {
                if (!"*".equals(integration) && !integrations.contains(integration)) {
                    problems.add(new ConfigProblem("", at + ".integrations", "no integration named '" + integration + "'"));
                }
            }
        }
    }

    private static void validateCaches(GatewayConfig c, List<ConfigProblem> problems) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < c.caches.size(); i++) {
            GatewayConfig.Cache cache = c.caches.get(i);
            String at = "caches[" + i + "]";
            if (cache == null) {
                problems.add(new ConfigProblem("", at, "empty cache"));
                continue;
            }
            if (cache.name == null || cache.name.isBlank()) {
                problems.add(new ConfigProblem("", at + ".name", "every cache needs a name"));
            } else if (!names.add(cache.name)) {
                problems.add(new ConfigProblem("", at + ".name", "duplicate cache name '" + cache.name + "'"));
            }
            range(problems, at + ".max_size", cache.maxSize, 1024 * 1024, Long.MAX_VALUE);
            positive(problems, at + ".ttl", cache.ttl);
            notNegative(problems, at + ".grace", cache.grace);
            range(problems, at + ".max_payload_size", cache.maxPayloadSize, 1,
                    Math.min(Integer.MAX_VALUE - 1024, cache.maxSize == null ? Long.MAX_VALUE : cache.maxSize.bytes()));
        }
    }

    private static void networks(List<ConfigProblem> problems, String path, List<String> entries) {
        try {
            io.chgate.gateway.http.AllowedNetworks.of(entries);
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem("", path, e.getMessage()));
        }
    }

    private static void notNegative(List<ConfigProblem> problems, String path, Duration d) {
        if (d == null || d.isNegative()) {
            problems.add(new ConfigProblem("", path, "must be 0 (no limit) or a positive duration, e.g. 30s"));
        }
    }

    private static void positive(List<ConfigProblem> problems, String path, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            problems.add(new ConfigProblem("", path, "must be a positive duration, e.g. 5s"));
        }
    }

    private static void range(List<ConfigProblem> problems, String path, DataSize size, long min, long max) {
        if (size == null || size.bytes() < min || size.bytes() > max) {
            problems.add(new ConfigProblem("", path, "must be between " + new DataSize(min) + " and "
                    + new DataSize(max)));
        }
    }
}
