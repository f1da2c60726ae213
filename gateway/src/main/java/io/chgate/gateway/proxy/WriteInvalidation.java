package io.chgate.gateway.proxy;

import io.chgate.gateway.cache.ResponseCaches;
import io.chgate.sql.CacheableRead;
import io.chgate.sql.ParsedStatement;
import io.chgate.sql.Statements;
import java.util.Map;
import java.util.Set;

/**
 * What a write through chgate changes in the response caches: the objects it writes lose their kept answers when it
 * goes upstream and again when it ends (an answer read in between may predate the write's last row), and a view it
 * creates is remembered as reading its tables.
 */
final class WriteInvalidation {
    private final ResponseCaches caches;
    private final Set<String> written;
    private final Map<String, Set<String>> derivations;
    private final Set<String> unkeepable;
    /** An ALTER: its mutations may go on after it returned. */
    private final boolean mutation;
    /** A CREATE, REPLACE or ATTACH: what it writes is defined anew. */
    private final boolean definition;

    private WriteInvalidation(ResponseCaches caches, Set<String> written, Map<String, Set<String>> derivations,
            Set<String> unkeepable, String firstWord) {
        this.caches = caches;
        this.written = written;
        this.derivations = derivations;
        this.unkeepable = unkeepable;
        this.mutation = "alter".equals(firstWord);
        this.definition = "create".equals(firstWord) || "replace".equals(firstWord) || "attach".equals(firstWord);
    }

    /** The invalidation of a statement that writes, or null: a read, no statement, or no caches. */
    static WriteInvalidation of(ResponseCaches caches, String sql, RequestFacts facts) {
        if (sql == null || !caches.any() || Statements.isReadOnly(sql)) {
            return null;
        }
        String database = CacheQuestion.database(facts);
        ParsedStatement statement = ParsedStatement.of(sql);
        Set<String> written = CacheableRead.written(statement, database);
        Map<String, Set<String>> derivations = CacheableRead.derivations(statement, database);
        Set<String> unkeepable = CacheableRead.uncacheableObjects(statement, database);
        return written.isEmpty() && derivations.isEmpty() && unkeepable.isEmpty() ? null
                : new WriteInvalidation(caches, written, derivations, unkeepable, statement.firstWord());
    }

    void sent() {
        caches.written(written, false);
    }

    void ended(boolean succeeded) {
        caches.written(written, mutation);
        if (succeeded) {
            caches.created(derivations, unkeepable, written, definition);
        }
    }
}
