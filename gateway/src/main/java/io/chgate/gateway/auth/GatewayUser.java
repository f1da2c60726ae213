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
 */
public record GatewayUser(String name, String clickhouseAuthorization, Set<String> collections,
        boolean allCollections) {

    public boolean mayUse(String collection) {
        return allCollections || collections.contains(collection);
    }

    @Override
    public String toString() {
        return "GatewayUser[" + name + "]";
    }
}
