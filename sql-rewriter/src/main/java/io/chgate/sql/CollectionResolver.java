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
 * Either way every argument must stay inside the integration's scope ({@link ReferenceScope}): no remote SQL unless
 * it allows it, no schema or database but its own.
 */
public final class CollectionResolver implements Resolver {

    /**
     * An external endpoint and the named collection that holds its credentials.
     *
     * @param source {@code postgresql}, {@code mysql} or {@code kafka}
     * @param address {@code host:port} (for Kafka: the broker list as written in the collection)
     * @param database the database on the endpoint (ignored for Kafka)
     * @param databaseEngineRefusal why a database engine may not be built on it (the integration's limits), or null
     * @param remoteSql whether references may give SQL the remote database runs as the integration's login
     *     ({@code query}, {@code where}, {@code on_conflict}, ...)
     * @param schemas the PostgreSQL schemas references may read; default {@code public}
     */
    public record Endpoint(String source, String address, String database, String collection,
            String databaseEngineRefusal, boolean remoteSql, Set<String> schemas) {

        public Endpoint {
            schemas = schemas == null || schemas.isEmpty() ? Set.of("public") : Set.copyOf(schemas);
        }

        /** An endpoint whose database engines are allowed, without remote SQL, reading schema {@code public}. */
        public Endpoint(String source, String address, String database, String collection) {
            this(source, address, database, collection, null);
        }

        /** An endpoint without remote SQL, reading schema {@code public}. */
        public Endpoint(String source, String address, String database, String collection,
                String databaseEngineRefusal) {
            this(source, address, database, collection, databaseEngineRefusal, false, null);
        }

        /** This endpoint with remote SQL allowed or not, and these PostgreSQL schemas. */
        public Endpoint scoped(boolean allowRemoteSql, java.util.Collection<String> readableSchemas) {
            return new Endpoint(source, address, database, collection, databaseEngineRefusal, allowRemoteSql,
                    readableSchemas == null ? null : Set.copyOf(readableSchemas));
        }
    }

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
                String outOfScope = ReferenceScope.refusal(reference, endpoint, false);
                if (outOfScope != null) {
                    return new Resolution.Refuse(outOfScope);
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
        if (!owner.source().equals(managedSource(reference.source()))) {
            return new Resolution.Refuse("chgate: " + describe(reference) + " names the collection '" + collection
                    + "', which is a " + owner.source() + " integration's");
        }
        String outOfScope = ReferenceScope.refusal(reference, owner, true);
        return outOfScope == null ? Resolution.KEEP : new Resolution.Refuse(outOfScope);
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

    /** Every argument but the connection's, which the collection replaces; {@link ReferenceScope} checked them. */
    private static List<Resolution.Override> overrides(Reference reference) {
        List<Resolution.Override> kept = new ArrayList<>();
        String source = managedSource(reference.source());
        for (Argument a : reference.arguments()) {
            IntegrationKeys.Role role = IntegrationKeys.role(source, reference.kind(), a.name());
            if (role != null && role != IntegrationKeys.Role.CONNECTION) {
                kept.add(new Resolution.Override(a.name(), a.text()));
            }
        }
        return kept;
    }

    static String describe(Reference reference) {
        return switch (reference.kind()) {
            case TABLE_FUNCTION -> "table function " + reference.name() + "()";
            case TABLE_ENGINE -> "table engine " + reference.name();
            case DATABASE_ENGINE -> "database engine " + reference.name();
            case DICTIONARY_SOURCE -> "dictionary source " + reference.name();
        };
    }
}
