package io.chgate.gateway.catalog;

import io.chgate.sql.CacheableRead;
import io.chgate.sql.ParsedStatement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one upstream object's definition tells the response cache, read as a CREATE through chgate would be, in the
 * object's own database: what it derives from, and what may never be kept. A definition chgate cannot read makes
 * its object unkeepable: what is not read with certainty is not cached.
 *
 * @param digest the definition's SHA-256, to tell a changed one: definitions may hold credentials, and are not kept
 * @param materialized a materialized view: its rows are stored, so what it reads does not make it unkeepable
 */
record DefinedObject(String digest, Map<String, Set<String>> derivations, Set<String> unkeepable,
        boolean materialized) {
    private static final Pattern MATERIALIZED = Pattern.compile("\\s*(create|attach)\\s+materialized\\s+view\\b",
            Pattern.CASE_INSENSITIVE);

    static DefinedObject of(UpstreamObjects.Definition definition) {
        String query = definition.createQuery();
        if (query.isBlank()) {
            return new DefinedObject(digest(query), Map.of(), Set.of(), false);   // a plain table
        }
        try {
            ParsedStatement statement = ParsedStatement.of(query);
            statement.tokens();   // what cannot be read is no definition the cache can trust
            Map<String, Set<String>> derivations = CacheableRead.derivations(statement, definition.database());
            Set<String> unkeepable = CacheableRead.uncacheableObjects(statement, definition.database());
            return new DefinedObject(digest(query), derivations, unkeepable, MATERIALIZED.matcher(query).lookingAt());
        } catch (RuntimeException unreadable) {
            return new DefinedObject(digest(query), Map.of(), Set.of(definition.qualified()), false);
        }
    }

    static String digest(String createQuery) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(createQuery.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
