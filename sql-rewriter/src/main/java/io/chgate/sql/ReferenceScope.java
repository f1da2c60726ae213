package io.chgate.sql;

/**
 * Whether the arguments of a reference to an integration stay inside what the integration allows: only keys
 * {@link IntegrationKeys} knows for its source, no SQL for the remote database unless the integration allows remote
 * SQL, no PostgreSQL schema but the integration's {@code schemas}, no table qualified with another schema or
 * database. Values that cannot be read with certainty (expressions) are refused where they matter.
 */
final class ReferenceScope {
    private ReferenceScope() {
    }

    /**
     * Why the reference may not run against this endpoint, or null when every argument is allowed.
     *
     * @param named whether the reference names the collection (connection keys are then refused), or carries its
     *     connection inline (which chgate replaces with the collection)
     */
    static String refusal(Reference reference, CollectionResolver.Endpoint endpoint, boolean named) {
        String source = CollectionResolver.managedSource(reference.source());
        boolean dictionary = reference.kind() == Reference.Kind.DICTIONARY_SOURCE;
        for (int i = named && !dictionary ? 1 : 0; i < reference.arguments().size(); i++) {
            Argument a = reference.arguments().get(i);
            if (named && dictionary && "name".equals(a.name())) {
                continue;
            }
            IntegrationKeys.Role role = IntegrationKeys.role(source, reference.kind(), a.name());
            String why;
            if (role == null) {
                why = unknown(reference, a, source, named);
            } else {
                why = switch (role) {
                    case CONNECTION -> named ? unknown(reference, a, source, true) : null;
                    case REMOTE_SQL -> endpoint.remoteSql() ? null : remoteSql(reference, a, endpoint);
                    case SCHEMA -> schema(reference, a, a.value(), endpoint);
                    case TABLE -> table(reference, a, a.value(), endpoint, source);
                    case SCHEMA_LIST -> eachOf(a, value -> schema(reference, a, value, endpoint));
                    case TABLE_LIST -> eachOf(a, value -> table(reference, a, value, endpoint, source));
                    case OPTION -> null;
                };
            }
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private static String unknown(Reference reference, Argument a, String source, boolean named) {
        String describe = CollectionResolver.describe(reference);
        if (!named) {
            return "chgate: " + describe + " has " + (a.key() == null ? "a positional argument" : "the key '"
                    + shown(a.key()) + "'") + " that chgate does not know for " + source + "; it is refused rather"
                    + " than passed on";
        }
        return "chgate: " + describe + " may not set '" + shown(a.key() == null ? String.valueOf(a.name()) : a.key())
                + "' with a named collection: only keys that choose what to read (" + String.join(", ",
                IntegrationKeys.choosable(source, reference.kind())) + ") may be given";
    }

    private static String remoteSql(Reference reference, Argument a, CollectionResolver.Endpoint endpoint) {
        return "chgate: " + CollectionResolver.describe(reference) + " may not set '" + a.name() + "': its value is"
                + " SQL the remote database runs as the login of integration '" + endpoint.collection() + "', which"
                + " does not allow remote SQL (allow_remote_sql: true lets its users run SQL as that login)";
    }

    /** Each comma-separated item of a list setting, checked alone; the first refusal. */
    private static String eachOf(Argument a, java.util.function.Function<String, String> check) {
        if (!isLiteral(a)) {
            return check.apply(a.value());
        }
        for (String item : a.value().split(",", -1)) {
            String why = check.apply(item.strip());
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private static String schema(Reference reference, Argument a, String value, CollectionResolver.Endpoint endpoint) {
        if (!isLiteral(a)) {
            return "chgate: " + CollectionResolver.describe(reference) + ": write the schema as a literal";
        }
        if (endpoint.schemas().contains(value)) {
            return null;
        }
        return "chgate: " + CollectionResolver.describe(reference) + " may not read schema " + shown(value)
                + ": integration '" + endpoint.collection() + "' allows the schemas " + String.join(", ",
                new java.util.TreeSet<>(endpoint.schemas()));
    }

    /**
     * A table may be qualified ({@code 'public.orders'}: ClickHouse splits a PostgreSQL dictionary's table at the
     * dot) only with one of the integration's schemas, or for MySQL its own database.
     */
    private static String table(Reference reference, Argument a, String value, CollectionResolver.Endpoint endpoint,
            String source) {
        if (!isLiteral(a)) {
            return "chgate: " + CollectionResolver.describe(reference) + ": write the table as a literal";
        }
        int dot = value.indexOf('.');
        if (dot < 0) {
            return null;
        }
        String qualifier = value.substring(0, dot);
        boolean allowed = value.indexOf('.', dot + 1) < 0 && ("postgresql".equals(source)
                ? endpoint.schemas().contains(qualifier) : qualifier.equals(endpoint.database()));
        return allowed ? null : "chgate: " + CollectionResolver.describe(reference) + " may not read table "
                + shown(value) + ": integration '" + endpoint.collection() + "' reaches only "
                + ("postgresql".equals(source) ? "the schemas " + String.join(", ",
                        new java.util.TreeSet<>(endpoint.schemas())) : "its database " + endpoint.database());
    }

    private static boolean isLiteral(Argument a) {
        return a.kind() == Argument.ValueKind.STRING || a.kind() == Argument.ValueKind.IDENTIFIER;
    }

    /** A name for an error message only when it looks like one: a misplaced value could be a password. */
    static String shown(String value) {
        return value.length() <= 100 && value.matches("[A-Za-z0-9_.$\\-]+") ? value : "(not shown)";
    }
}
