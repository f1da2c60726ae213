package io.chgate.gateway.intercept;

import io.chgate.sql.Argument;
import io.chgate.sql.Reference;
import io.chgate.sql.Resolution;
import io.chgate.sql.SqlText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes an integration's credentials into a reference as positional arguments, for servers without named
 * collections ({@code managed_credentials: inline}): {@code mysql(shop, table = 'orders')} becomes
 * {@code mysql('host:port', 'db', 'orders', 'user', 'password')}.
 *
 * <p>Every argument that comes from the client must be one plain literal: anything else ({@code 'orders' 'x'},
 * an expression) could make the statement one the server refuses with an error that quotes it — password included.
 */
final class InlineCredentials {
    private InlineCredentials() {
    }

    /** KEEP for a reference to no managed collection ({@code values} null). */
    static Resolution arguments(Reference reference, Map<String, String> values) {
        if (values == null) {
            return Resolution.KEEP;
        }
        boolean postgres = reference.source().contains("postgresql");
        List<String> args = new ArrayList<>();
        args.add(SqlText.quoteString(values.get("host") + ":" + values.get("port")));
        args.add(SqlText.quoteString(values.get("database")));
        switch (reference.kind()) {
            case TABLE_FUNCTION, TABLE_ENGINE -> {
                Argument table = reference.argument("table");
                if (table == null) {
                    return new Resolution.Refuse("chgate: " + reference.name() + "() needs table = '...' here");
                }
                if (!isLiteral(table)) {
                    return notLiteral(reference, "table");
                }
                args.add(table.text());
                args.add(SqlText.quoteString(values.get("user")));
                args.add(SqlText.quoteString(values.get("password")));
                for (String extra : postgres ? List.of("schema", "on_conflict")
                        : List.of("replace_query", "on_duplicate_clause")) {
                    Argument a = reference.argument(extra);
                    if (a != null && !isLiteral(a)) {
                        return notLiteral(reference, extra);
                    }
                    if (a != null) {
                        args.add(a.text());
                    } else if ("schema".equals(extra) && values.get("schema") != null) {
                        args.add(SqlText.quoteString(values.get("schema")));   // never the login's search_path
                    } else {
                        break;   // positional: a later one cannot be given without the earlier
                    }
                }
            }
            case DATABASE_ENGINE -> {
                args.add(SqlText.quoteString(values.get("user")));
                args.add(SqlText.quoteString(values.get("password")));
                Argument schema = reference.argument("schema");
                if (schema != null && !isLiteral(schema)) {
                    return notLiteral(reference, "schema");
                }
                if (postgres && schema != null) {
                    args.add(schema.text());
                } else if (postgres && values.get("schema") != null) {
                    args.add(SqlText.quoteString(values.get("schema")));
                }
            }
            default -> {
                return new Resolution.Refuse("chgate: inline credentials cannot be written into a dictionary source;"
                        + " use named collections (ClickHouse 22.12+)");
            }
        }
        return new Resolution.InlineArguments(args);
    }

    private static boolean isLiteral(Argument a) {
        return a.kind() == Argument.ValueKind.STRING || a.kind() == Argument.ValueKind.NUMBER;
    }

    private static Resolution notLiteral(Reference reference, String argument) {
        return new Resolution.Refuse("chgate: with inline credentials, the " + argument + " argument of "
                + reference.name() + "() must be a single string or number literal");
    }
}
