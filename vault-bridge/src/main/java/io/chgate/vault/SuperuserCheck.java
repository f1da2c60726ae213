package io.chgate.vault;

import io.chgate.sql.SqlText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Asks the remote database, through ClickHouse on chgate's admin channel, whether an integration's login is a
 * superuser: whatever a client makes ClickHouse send as that login runs with every right on the server. PostgreSQL:
 * the login's {@code rolsuper}, read from {@code pg_catalog.pg_authid} through the integration's own collection (only
 * a superuser may read it; {@code pg_roles} would do for anyone, but its array column stops ClickHouse reading its
 * structure). MySQL/MariaDB: a global {@code SUPER} privilege (part of {@code ALL PRIVILEGES}) in
 * {@code information_schema.USER_PRIVILEGES}, through a collection made for the moment (the integration's own
 * cannot leave its database). No new dependency and no connection of chgate's own to the database.
 *
 * <p>Errors are reduced to their code: ClickHouse may quote what it was given.
 */
public final class SuperuserCheck {
    private final AdminChannel admin;

    public SuperuserCheck(AdminChannel admin) {
        this.admin = admin;
    }

    /**
     * Whether the login is a superuser; empty when it cannot tell (a server without the source or named
     * collections, a database that did not answer).
     *
     * @param values the integration's collection values: {@code host}, {@code port}, {@code user}, {@code password}
     */
    public Optional<Boolean> isSuperuser(String source, String collection, Map<String, String> values) {
        try {
            return switch (source) {
                case "postgresql" -> postgresql(collection, values.get("user"));
                case "mysql" -> mysql(collection, values);
                default -> Optional.empty();
            };
        } catch (AdminException e) {
            return Optional.empty();
        }
    }

    private Optional<Boolean> postgresql(String collection, String user) {
        try {
            String answer = admin.execute("SELECT max(rolsuper) FROM postgresql(" + SqlText.quoteIdentifier(collection)
                    + ", schema = 'pg_catalog', table = 'pg_authid') WHERE rolname = " + SqlText.quoteString(user))
                    .strip();
            return Optional.of("1".equals(answer) || "true".equals(answer));
        } catch (AdminException e) {
            // PostgreSQL's "permission denied for table pg_authid": only a superuser may read it.
            return e.getMessage() != null && e.getMessage().contains("permission denied for table pg_authid")
                    ? Optional.of(false) : Optional.empty();
        }
    }

    private Optional<Boolean> mysql(String collection, Map<String, String> values) {
        String probe = collection + "_superuser_check";
        Map<String, String> privileges = new LinkedHashMap<>();
        for (String key : new String[] {"addresses_expr", "host", "port", "user", "password"}) {
            privileges.put(key, values.get(key));
        }
        privileges.put("database", "information_schema");
        admin.execute(NamedCollectionDdl.drop(probe, null));
        try {
            admin.execute(NamedCollectionDdl.create(probe, privileges, null));
            // Another login's rows show only to a login that may see every account; GRANTEE is 'user'@'host'.
            String count = admin.execute("SELECT count() FROM mysql(" + SqlText.quoteIdentifier(probe)
                    + ", table = 'USER_PRIVILEGES') WHERE PRIVILEGE_TYPE = 'SUPER' AND startsWith(GRANTEE, "
                    + SqlText.quoteString("'" + values.get("user").replace("'", "''") + "'@") + ")").strip();
            return Optional.of(!"0".equals(count));
        } finally {
            admin.execute(NamedCollectionDdl.drop(probe, null));
        }
    }
}
