package io.chgate.vault;

import io.chgate.sql.SqlText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The integration databases chgate creates ({@code ENGINE = PostgreSQL(<collection>)}), and how it tells them from
 * everyone else's: each carries the comment {@value #MARK}{@code <integration>}. chgate drops or replaces a database
 * only when it bears that mark, so a database someone else made under the same name is never touched.
 */
public final class IntegrationDatabases {
    static final String MARK = "managed by chgate for integration ";

    private final AdminChannel admin;

    public IntegrationDatabases(AdminChannel admin) {
        this.admin = admin;
    }

    /** The comment of the database, or empty when there is no database of that name. */
    Optional<String> comment(String database) {
        String hex = admin.execute("SELECT hex(comment) FROM system.databases WHERE name = "
                + SqlText.quoteString(database)).strip();
        return hex.isEmpty() && !exists(database) ? Optional.empty() : Optional.of(unhex(hex));
    }

    private boolean exists(String database) {
        return !admin.execute("SELECT 1 FROM system.databases WHERE name = " + SqlText.quoteString(database)).isEmpty();
    }

    /**
     * Creates the database, or replaces chgate's own copy of it (a database engine keeps the credentials it was
     * created with, so a rotation must build it again).
     *
     * @throws AdminException when a database of that name exists and is not this integration's
     */
    void replace(String integration, String database, String engine) {
        Optional<String> comment = comment(database);
        if (comment.isPresent()) {
            if (!comment.get().equals(MARK + integration)) {
                throw new AdminException(82, "database " + database + " already exists and chgate did not create it"
                        + " for integration '" + integration + "': chgate leaves it alone; drop or rename it, or give"
                        + " the managed database another name");
            }
            admin.execute("DROP DATABASE IF EXISTS " + SqlText.quoteIdentifier(database));
        }
        admin.execute("CREATE DATABASE IF NOT EXISTS " + SqlText.quoteIdentifier(database) + " ENGINE = " + engine
                + " COMMENT " + SqlText.quoteString(MARK + integration));
    }

    /**
     * Creates the database if it is missing (it was dropped behind chgate's back); an existing one of this
     * integration's is kept.
     *
     * @throws AdminException when a database of that name exists and is not this integration's
     */
    void ensure(String integration, String database, String engine) {
        Optional<String> comment = comment(database);
        if (comment.isEmpty()) {
            replace(integration, database, engine);
        } else if (!comment.get().equals(MARK + integration)) {
            replace(integration, database, engine);   // throws, naming the database
        }
    }

    /**
     * Drops every database chgate created that is not among {@code wanted}, with its collection (named as the
     * database); returns their names. Nothing without chgate's mark is touched.
     */
    public List<String> dropAllBut(Collection<String> wanted) {
        List<String> dropped = new ArrayList<>();
        // Names travel in hex: any byte a name may hold comes back exactly, with no TSV escaping to undo.
        String hexes = admin.execute("SELECT hex(name) FROM system.databases WHERE startsWith(comment, "
                + SqlText.quoteString(MARK) + ") ORDER BY name");
        for (String hex : hexes.split("\n")) {
            String database = unhex(hex);
            if (!hex.isEmpty() && !wanted.contains(database)) {
                admin.execute("DROP DATABASE IF EXISTS " + SqlText.quoteIdentifier(database));
                admin.execute(NamedCollectionDdl.drop(database, null));
                dropped.add(database);
            }
        }
        return dropped;
    }

    private static String unhex(String hex) {
        return new String(java.util.HexFormat.of().parseHex(hex), java.nio.charset.StandardCharsets.UTF_8);
    }
}
