package io.chgate.sql;

import java.util.List;
import java.util.Locale;

/**
 * One reference to an external source in a statement, with exact spans into the original text.
 *
 * @param kind where it stands in the statement
 * @param source the source, lower case: {@code postgresql}, {@code mysql}, {@code kafka}, {@code s3}, ...
 * @param name the name as written ({@code postgresql}, {@code PostgreSQL}, {@code POSTGRESQL})
 * @param start offset of the reference's first character (its name)
 * @param end offset just past its last character (the closing parenthesis, or the end of Kafka's SETTINGS list)
 * @param arguments its arguments in order; positional ones have a null {@link Argument#key()} as written, and a
 *     canonical name in {@link Argument#name()} where the source's positional order gives one
 */
public record Reference(Kind kind, String source, String name, int start, int end, List<Argument> arguments) {

    public enum Kind { TABLE_FUNCTION, TABLE_ENGINE, DATABASE_ENGINE, DICTIONARY_SOURCE }

    /**
     * The named collection the reference already uses ({@code postgresql(nc, table='t')}), or null when it carries
     * its connection inline. ClickHouse's rule: the first argument is an identifier and every other argument is
     * {@code key = value}. Otherwise identifiers are read as string literals — {@code mysql("host:3306", "db", ...)}
     * connects inline — so they must not pass for a collection.
     */
    public String namedCollection() {
        if (kind == Kind.DICTIONARY_SOURCE) {
            // NAME twice: which one ClickHouse takes is not ours to guess, so neither counts (refused as inline).
            String named = null;
            for (Argument a : arguments) {
                if ("name".equals(a.name())) {
                    if (named != null) {
                        return null;
                    }
                    named = a.value();
                }
            }
            return named;
        }
        if (arguments.isEmpty()) {
            return null;
        }
        Argument first = arguments.get(0);
        if (first.key() != null || first.kind() != Argument.ValueKind.IDENTIFIER) {
            return null;
        }
        for (int i = 1; i < arguments.size(); i++) {
            if (arguments.get(i).key() == null) {
                return null;
            }
        }
        return first.value();
    }

    /** The argument with this canonical name (e.g. {@code host}, {@code table}, {@code password}), or null. */
    public Argument argument(String canonicalName) {
        String wanted = canonicalName.toLowerCase(Locale.ROOT);
        for (Argument a : arguments) {
            if (wanted.equals(a.name())) {
                return a;
            }
        }
        return null;
    }
}
