package io.chgate.sql;

import io.chgate.sql.ObjectReferences.Ref;
import io.chgate.sql.ObjectReferences.Use;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the response cache may keep, and what a write makes stale. A statement's answer may be kept and served
 * again only when it is one read-only statement (SELECT, WITH ... SELECT, SHOW CREATE / SHOW COLUMNS, DESCRIBE,
 * EXISTS) that writes no file, reads no {@code system} or {@code information_schema} table, names every object it
 * reads (so a write can drop it), and calls only functions and table functions the {@link FunctionRegistry} knows to
 * be deterministic for the cache's key; anything else, or anything not read with certainty, is not cached.
 *
 * <p>Objects are {@code "database.name"}, names in the case written (ClickHouse's table names are case-sensitive),
 * the statement's current database filled in. Table functions are no objects: the rows of an external database's
 * table function are bounded by the cache's ttl, as are writes that bypass chgate.
 */
public final class CacheableRead {
    /** What {@link #written} returns when a write's objects cannot be told: every entry is stale. */
    public static final String EVERYTHING = "*.*";

    /**
     * Whether a statement's answer may be cached.
     *
     * @param reason null when cacheable; else short, for a log or a debug header
     * @param objects the objects read, each {@code "database.name"}; empty when not cacheable
     */
    public record Verdict(boolean cacheable, String reason, Set<String> objects) {
        /** Reasons name functions and objects, never a string literal; control characters are dropped (a header). */
        static Verdict no(String reason) {
            return new Verdict(false, reason.replaceAll("\\p{Cntrl}", "?"), Set.of());
        }
    }

    private CacheableRead() {
    }

    /**
     * @param currentDatabase the database the statement runs in (the request's, else the upstream user's default)
     */
    public static Verdict of(ParsedStatement statement, String currentDatabase) {
        Objects.requireNonNull(currentDatabase, "currentDatabase");
        Tokens tokens;
        try {
            tokens = statement.tokens();
        } catch (SqlParseException e) {
            return Verdict.no("unreadable SQL");
        }
        if (statement.statementCount() != 1) {
            return Verdict.no(statement.statementCount() == 0 ? "no statement" : "more than one statement");
        }
        ReadScan scan = new ReadScan(statement.sql(), tokens, statement.statementFrom(0), statement.statementTo(0))
                .run();
        if (scan.refusal != null) {
            return Verdict.no(scan.refusal);
        }
        ObjectReferences.Result refs = ObjectReferences.of(statement.sql(), tokens);
        if (refs.refusal() != null) {
            return Verdict.no("the objects it reads cannot be told");   // the refusal's text may quote a literal
        }
        Set<String> objects = new LinkedHashSet<>();
        for (Ref ref : refs.refs()) {
            if (ref.use() != Use.READ) {
                return Verdict.no("it " + ref.use().name().toLowerCase(java.util.Locale.ROOT) + "s " + ref.name());
            }
            if (ref.isDatabase()) {
                return Verdict.no("it lists database " + ref.name() + ", which changes with every CREATE and DROP");
            }
            String database = ref.database() == null ? currentDatabase : ref.database();
            if (SystemTables.isSystemDatabase(database)) {
                return Verdict.no("it reads " + database + "." + ref.name() + ", the server's live state");
            }
            objects.add(database + "." + ref.name());
        }
        return new Verdict(true, null, Collections.unmodifiableSet(objects));
    }

    /**
     * Objects a write statement changes ({@code "database.name"}, its own name too when it creates one, both names
     * of a RENAME or EXCHANGE), and databases it creates, drops or changes wholesale as {@code "database.*"};
     * {@link #EVERYTHING} when what it changes cannot be told; empty for reads.
     */
    public static Set<String> written(ParsedStatement statement, String currentDatabase) {
        return WrittenObjects.written(statement, Objects.requireNonNull(currentDatabase, "currentDatabase"));
    }

    /**
     * For CREATE [OR REPLACE] VIEW, CREATE MATERIALIZED VIEW [TO target] and ATTACH of those: each derived object
     * (the view; a materialized view and its TO target) to the objects its SELECT reads; for a table of engine Buffer
     * or Alias, the table to the one it reads through. Empty otherwise.
     */
    public static Map<String, Set<String>> derivations(ParsedStatement statement, String currentDatabase) {
        return DefinedObjects.derivations(statement, Objects.requireNonNull(currentDatabase, "currentDatabase"));
    }

    /**
     * Objects a definition makes uncacheable for every read, which no read's text shows: a VIEW whose SELECT is not
     * cacheable (it runs on every read), a LIVE or WINDOW view, a table of a live or unknown engine (GenerateRandom,
     * S3, URL, File, Kafka, Merge, Distributed, ...; or a copy AS another table, whose engine chgate cannot see), a
     * table or materialized view whose columns or clauses compute values after the rows were written from a
     * non-deterministic function ({@code ALIAS now()}, {@code DEFAULT rand()}, in a TTL or a key), or whose column
     * expression calls an unknown function or reads a dictionary, Join table or {@code IN table}. An ALTER TABLE that
     * gives the table such an expression (ADD / MODIFY COLUMN, MODIFY TTL, ...) names it too. Each
     * {@code "database.name"}; empty for any other statement. A later definition of the same name not listed here
     * makes it cacheable again.
     */
    public static Set<String> uncacheableObjects(ParsedStatement statement, String currentDatabase) {
        return DefinedObjects.uncacheableObjects(statement, Objects.requireNonNull(currentDatabase,
                "currentDatabase"));
    }

    /** The functions and table functions a single statement calls, as written (for tests); empty when unreadable. */
    static Set<String> called(ParsedStatement statement) {
        try {
            Tokens tokens = statement.tokens();
            return new ReadScan(statement.sql(), tokens, 0, tokens.size()).run().called;
        } catch (SqlParseException e) {
            return Set.of();
        }
    }
}
