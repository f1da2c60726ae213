package io.chgate.gateway.intercept;

/**
 * One query as the gateway saw it.
 *
 * @param sql the SQL text: the {@code query} URL parameter, or the body (for an INSERT with inline data, the body
 *     up to where the data begins)
 * @param user the ClickHouse user the request authenticates as ({@code default} when it names none)
 * @param database the {@code database} URL parameter, or null
 * @param location where the client put the query
 * @param gatewayUser the gateway user the request authenticated as, or null when the gateway has no users
 */
public record InterceptedQuery(String sql, String user, String database, Location location,
        io.chgate.gateway.auth.GatewayUser gatewayUser) {

    public InterceptedQuery(String sql, String user, String database, Location location) {
        this(sql, user, database, location, null);
    }

    public enum Location { URL, BODY }
}
