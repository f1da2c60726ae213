package io.chgate.gateway.intercept;

/**
 * One query as the gateway saw it.
 *
 * @param sql the SQL text: the {@code query} URL parameter, or the body (for an INSERT with inline data, the body
 *     up to where the data begins)
 * @param user the ClickHouse user the request authenticates as ({@code default} when it names none)
 * @param databases every default database the request names ({@code database} URL parameters, the
 *     {@code X-ClickHouse-Database} header); empty when none
 * @param location where the client put the query
 * @param gatewayUser the gateway user the request authenticated as, or null when the gateway has no users
 */
public record InterceptedQuery(String sql, String user, java.util.List<String> databases, Location location,
        io.chgate.gateway.auth.GatewayUser gatewayUser) {

    public InterceptedQuery {
        databases = databases == null ? java.util.List.of() : databases;
    }

    public InterceptedQuery(String sql, String user, java.util.List<String> databases, Location location) {
        this(sql, user, databases, location, null);
    }

    public enum Location { URL, BODY }
}
