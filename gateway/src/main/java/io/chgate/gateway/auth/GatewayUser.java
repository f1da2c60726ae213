package io.chgate.gateway.auth;

import java.util.Set;

/**
 * An authenticated gateway user: who it is, the ClickHouse login its requests run as, and the named collections its
 * queries may use.
 *
 * @param clickhouseAuthorization the {@code Authorization} header value for its ClickHouse user, or null when the
 *     upstream has no users (the embedded engine)
 * @param collections the named collections of the integrations it may use
 * @param allCollections whether it may use every integration
 * @param sources the sources no integration is (file, url, s3, ...) it may still read, by their registry names;
 *     none by default
 */
public record GatewayUser(String name, String clickhouseAuthorization, Set<String> collections,
        boolean allCollections, Set<String> sources) {

    public GatewayUser(String name, String clickhouseAuthorization, Set<String> collections, boolean allCollections) {
        this(name, clickhouseAuthorization, collections, allCollections, Set.of());
    }

    /** Whether it was given every one of these sources that no integration is ({@code sources:}). */
    public boolean mayRead(Set<String> refusedSources) {
        return sources.containsAll(refusedSources);
    }

    public boolean mayUse(String collection) {
        return allCollections || collections.contains(collection);
    }

    @Override
    public String toString() {
        return "GatewayUser[" + name + "]";
    }
}
