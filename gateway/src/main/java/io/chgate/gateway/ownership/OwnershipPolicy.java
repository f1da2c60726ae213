package io.chgate.gateway.ownership;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.sql.ObjectReferences;
import io.chgate.sql.ObjectReferences.Ref;
import io.chgate.sql.SqlParseException;
import io.chgate.sql.SystemTables;
import java.util.ArrayList;
import java.util.List;

/**
 * Ownership that chgate enforces where the engine cannot tell gateway users apart (the embedded engine runs every
 * statement as its one user): a database or object belongs to the gateway user who created it through chgate, and no
 * other user may read, write, alter, drop, rename, exchange, attach, detach or clone it. Objects made outside chgate
 * are shared. Of the {@code system} database a user reads only what holds no other user's statements, errors or logs.
 *
 * <p>A check says yes or no before the statement is forwarded; what the statement creates, drops or renames is
 * recorded only once ClickHouse answered it with success ({@link Decision#applyOnSuccess()}), so a failed CREATE
 * claims nothing.
 */
public final class OwnershipPolicy {
    /** Either a refusal, or the changes to the owners to make if the statement succeeds. */
    public record Decision(ClickHouseError refusal, List<Runnable> onSuccess) {
        static final Decision NOTHING = new Decision(null, List.of());

        public void applyOnSuccess() {
            onSuccess.forEach(Runnable::run);
        }
    }

    private final ObjectOwners owners;

    public OwnershipPolicy(ObjectOwners owners) {
        this.owners = owners;
    }

    /** {@link #check(String, List, String)} with one current database. */
    public Decision check(String user, String currentDatabase, String sql) {
        return check(user, List.of(currentDatabase), sql, null);
    }

    /**
     * @param currentDatabases the databases unqualified names may resolve to for this request (a request may name
     *     its database more than once, and ClickHouse takes one of them: every one is checked)
     * @param entered told the database a {@code USE} makes current, once it succeeded; null when not needed
     */
    public Decision check(String user, List<String> currentDatabases, String sql,
            java.util.function.Consumer<String> entered) {
        ObjectReferences.Result result;
        try {
            result = ObjectReferences.of(sql);
        } catch (SqlParseException e) {
            return Decision.NOTHING;   // unreadable SQL is refused by the statement policy before this
        }
        if (result.refusal() != null) {
            return refused(result.refusal());
        }
        List<Runnable> changes = new ArrayList<>(0);
        for (Ref ref : result.refs()) {
            if (ref.isDatabase()) {
                String refusal = checkDatabase(user, ref, changes);
                if (refusal != null) {
                    return refused(refusal);
                }
                if (ref.use() == ObjectReferences.Use.ENTERED && entered != null) {
                    changes.add(() -> entered.accept(ref.name()));
                }
                continue;
            }
            for (String database : ref.database() != null ? List.of(ref.database()) : currentDatabases) {
                String refusal = checkObject(user, database, ref, changes);
                if (refusal != null) {
                    return refused(refusal);
                }
            }
        }
        return changes.isEmpty() ? Decision.NOTHING : new Decision(null, List.copyOf(changes));
    }

    private String checkDatabase(String user, Ref ref, List<Runnable> changes) {
        String database = ref.name();
        if (SystemTables.isSystemDatabase(database)) {
            return ref.use() == ObjectReferences.Use.READ ? null
                    : "chgate: the database " + database + " is the engine's own";
        }
        String owner = owners.ownerOfDatabase(database);
        if (owner != null && !owner.equals(user)) {
            return "chgate: the database " + database + " belongs to another gateway user";
        }
        switch (ref.use()) {
            case CREATE -> changes.add(() -> owners.recordDatabase(database, user));
            case DROP, RENAMED -> changes.add(() -> owners.forgetDatabase(database));
            default -> { }
        }
        return null;
    }

    private String checkObject(String user, String database, Ref ref, List<Runnable> changes) {
        if (SystemTables.isSystemDatabase(database)) {
            if (ref.use() != ObjectReferences.Use.READ) {
                return "chgate: " + database + "." + ref.name() + " is the engine's own";
            }
            return SystemTables.sharedWithEveryUser(ref.name()) ? null : "chgate: " + database + "." + ref.name()
                    + " shows other users' statements or data and is not readable through the gateway";
        }
        String owner = owners.ownerOf(database, ref.name());
        if (owner != null && !owner.equals(user)) {
            return "chgate: " + database + "." + ref.name() + " belongs to another gateway user";
        }
        String name = ref.name();
        switch (ref.use()) {
            case CREATE -> changes.add(() -> owners.recordObject(database, name, user));
            case DROP, RENAMED -> changes.add(() -> owners.forgetObject(database, name));
            default -> { }
        }
        return null;
    }

    private static Decision refused(String why) {
        return new Decision(new ClickHouseError(ErrorCode.ACCESS_DENIED, why), List.of());
    }
}
