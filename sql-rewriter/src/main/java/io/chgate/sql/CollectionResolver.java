package io.chgate.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps inline connection arguments onto named collections: a reference to a known endpoint (source, host:port,
 * database) becomes a reference to that endpoint's collection, keeping only arguments that cannot redirect or
 * carry credentials (table, schema, ...). A reference to an unknown endpoint with inline arguments is refused, so no
 * password typed into a query ever reaches ClickHouse; references already using a named collection pass as written.
 */
public final class CollectionResolver implements Resolver {

    /**
     * An external endpoint and the named collection that holds its credentials.
     *
     * @param source {@code postgresql}, {@code mysql} or {@code kafka}
     * @param address {@code host:port} (for Kafka: the broker list as written in the collection)
     * @param database the database on the endpoint (ignored for Kafka)
     * @param databaseEngineRefusal why a database engine may not be built on it (the integration's limits), or null
     */
    public record Endpoint(String source, String address, String database, String collection,
            String databaseEngineRefusal) {

        /** An endpoint whose database engines are allowed. */
        public Endpoint(String source, String address, String database, String collection) {
            this(source, address, database, collection, null);
        }
    }

    /** Arguments a rewritten reference may keep: they choose what to read, never where or as whom. */
    private static final Set<String> KEPT = Set.of("table", "schema", "on_conflict", "replace_query",
            "on_duplicate_clause", "where", "invalidate_query", "update_field", "update_lag", "query",
            "kafka_topic_list", "kafka_group_name", "kafka_format", "kafka_row_delimiter", "kafka_schema",
            "kafka_num_consumers", "kafka_max_block_size", "kafka_skip_broken_messages", "kafka_commit_every_batch",
            "kafka_thread_per_consumer", "kafka_handle_error_mode", "kafka_client_id", "kafka_poll_timeout_ms",
            "kafka_flush_interval_ms", "use_table_cache", "connection_pool_size", "connection_max_tries");

    private final List<Endpoint> endpoints;
    /** Collections chgate keeps for itself (an integration without managed credentials), and why. */
    private final java.util.Map<String, String> internal;

    public CollectionResolver(List<Endpoint> endpoints) {
        this(endpoints, java.util.Map.of());
    }

    public CollectionResolver(List<Endpoint> endpoints, java.util.Map<String, String> internalCollections) {
        this.endpoints = List.copyOf(endpoints);
        this.internal = java.util.Map.copyOf(internalCollections);
    }

    @Override
    public Resolution resolve(Reference reference) {
        String source = managedSource(reference.source());
        if (source == null) {
            return new Resolution.Refuse("chgate: " + describe(reference) + " is not allowed through the gateway: it"
                    + " reaches files, programs or systems outside ClickHouse that no integration covers");
        }
        for (Argument a : reference.arguments()) {
            if (a.kind() == Argument.ValueKind.EXPRESSION && a.text().indexOf('{') >= 0) {
                return new Resolution.Refuse("chgate: " + describe(reference) + " has a query parameter among its"
                        + " arguments; write its arguments as literals");
            }
        }
        String collection = reference.namedCollection();
        if (collection != null) {
            return checkNamed(reference, collection);
        }
        String address = address(reference);
        String database = "kafka".equals(source) ? null : value(reference, "database", "db");
        for (Endpoint endpoint : endpoints) {
            if (endpoint.source().equals(source) && sameAddress(endpoint.address(), address)
                    && (database == null || database.equals(endpoint.database()))) {
                if (reference.kind() == Reference.Kind.DATABASE_ENGINE && endpoint.databaseEngineRefusal() != null) {
                    return new Resolution.Refuse("chgate: " + describe(reference) + " at integration '"
                            + endpoint.collection() + "': " + endpoint.databaseEngineRefusal());
                }
                return new Resolution.UseNamedCollection(endpoint.collection(), overrides(reference));
            }
        }
        return new Resolution.Refuse("chgate: " + describe(reference) + " points at " + source + " endpoint "
                + shown(address) + (database == null ? "" : " database " + shown(database))
                + ", which is not a configured integration");
    }

    /** The integration kind a reference's source belongs to, or null when it is not an integration's. */
    public static String managedSource(String source) {
        return switch (source) {
            case "postgresql", "materializedpostgresql" -> "postgresql";
            case "mysql", "materializedmysql" -> "mysql";
            case "kafka" -> "kafka";
            default -> null;
        };
    }

    /**
     * A reference that names a collection is checked like any other: the collection must be an integration's, and
     * only keys that choose what to read may be given — never one that could redirect the connection or carry a
     * credential, which ClickHouse would accept for a key the collection lacks.
     */
    private Resolution checkNamed(Reference reference, String collection) {
        if (internal.containsKey(collection)) {
            return new Resolution.Refuse("chgate: " + describe(reference) + " names the collection '" + collection
                    + "', " + internal.get(collection));
        }
        Endpoint owner = endpoints.stream().filter(e -> e.collection().equals(collection)).findFirst().orElse(null);
        if (owner != null && reference.kind() == Reference.Kind.DATABASE_ENGINE && owner.databaseEngineRefusal() != null) {
            return new Resolution.Refuse("chgate: " + describe(reference) + " on '" + collection + "': "
                    + owner.databaseEngineRefusal());
        }
        if (owner == null) {
            return new Resolution.Refuse("chgate: " + describe(reference) + " names the collection '" + collection
                    + "', which no configured integration owns");
        }
        boolean dictionary = reference.kind() == Reference.Kind.DICTIONARY_SOURCE;
        for (int i = dictionary ? 0 : 1; i < reference.arguments().size(); i++) {
            Argument a = reference.arguments().get(i);
            if (dictionary && "name".equals(a.name())) {
                continue;
            }
            if (a.name() == null || !KEPT.contains(a.name())) {
                return new Resolution.Refuse("chgate: " + describe(reference) + " may not set '" + a.key()
                        + "' with a named collection: only keys that choose what to read (" + String.join(", ",
                        new java.util.TreeSet<>(KEPT)) + ") may be given");
            }
        }
        return Resolution.KEEP;
    }

    /**
     * A value for an error message only when it looks like a host, port list or name: a misplaced argument could
     * hold a password, and an error must never echo one.
     */
    private static String shown(String value) {
        if (value == null) {
            return "(no address)";
        }
        return value.length() <= 100 && value.matches("[A-Za-z0-9_.:\\-\\[\\],]+") ? value : "(not shown)";
    }

    private static String address(Reference reference) {
        if ("kafka".equals(reference.source())) {
            return value(reference, "kafka_broker_list");
        }
        String hostPort = value(reference, "host_port", "addresses_expr");
        if (hostPort != null) {
            return hostPort;
        }
        String host = value(reference, "host", "hostname");
        String port = value(reference, "port");
        return host == null ? null : port == null ? host : host + ":" + port;
    }

    private static String value(Reference reference, String... names) {
        for (String name : names) {
            Argument a = reference.argument(name);
            if (a != null) {
                return a.value();
            }
        }
        return null;
    }

    private static boolean sameAddress(String configured, String written) {
        return written != null && configured.toLowerCase(Locale.ROOT).equals(written.trim().toLowerCase(Locale.ROOT));
    }

    private static List<Resolution.Override> overrides(Reference reference) {
        List<Resolution.Override> kept = new ArrayList<>();
        for (Argument a : reference.arguments()) {
            if (a.name() != null && KEPT.contains(a.name())) {
                kept.add(new Resolution.Override(a.name(), a.text()));
            }
        }
        return kept;
    }

    private static String describe(Reference reference) {
        return switch (reference.kind()) {
            case TABLE_FUNCTION -> "table function " + reference.name() + "()";
            case TABLE_ENGINE -> "table engine " + reference.name();
            case DATABASE_ENGINE -> "database engine " + reference.name();
            case DICTIONARY_SOURCE -> "dictionary source " + reference.name();
        };
    }
}
