package io.chgate.gateway.auth;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ClickHouseHeaders;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.http.RawQueryString;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The user name and password a request presents, in any of the ways ClickHouse's HTTP interface accepts: HTTP Basic
 * authentication, the {@code X-ClickHouse-User} / {@code X-ClickHouse-Key} headers, or the {@code user} /
 * {@code password} URL parameters. None at all is ClickHouse's {@code default} user with an empty password.
 * Presenting them in more than one way is refused, as ClickHouse itself does: which one wins would otherwise be a
 * question two readers of the request could answer differently.
 */
public record ClientCredentials(String user, String password) {

    public static ClientCredentials of(HttpRequest request, RawQueryString query) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String headerUser = request.headers().get(ClickHouseHeaders.USER);
        String headerKey = request.headers().get(ClickHouseHeaders.KEY);
        String paramUser = query.first("user");
        String paramPassword = query.first("password");
        int ways = (authorization != null ? 1 : 0) + (headerUser != null || headerKey != null ? 1 : 0)
                + (paramUser != null || paramPassword != null ? 1 : 0);
        if (ways > 1) {
            throw new ClickHouseError(ErrorCode.AUTHENTICATION_FAILED, "chgate: credentials were given in more than"
                    + " one way (Authorization header, X-ClickHouse-User/Key headers, user/password parameters); use one");
        }
        if (request.headers().getAll(HttpHeaderNames.AUTHORIZATION).size() > 1
                || request.headers().getAll(ClickHouseHeaders.USER).size() > 1
                || request.headers().getAll(ClickHouseHeaders.KEY).size() > 1
                || query.count("user") > 1 || query.count("password") > 1) {
            throw new ClickHouseError(ErrorCode.AUTHENTICATION_FAILED, "chgate: credentials were given more than once");
        }
        if (authorization != null) {
            return basic(authorization);
        }
        if (headerUser != null || headerKey != null) {
            return new ClientCredentials(orDefault(headerUser), headerKey == null ? "" : headerKey);
        }
        return new ClientCredentials(orDefault(paramUser), paramPassword == null ? "" : paramPassword);
    }

    /** Whether the request presents credentials in any way (none: ClickHouse's default user). */
    public static boolean presented(HttpRequest request, RawQueryString query) {
        return request.headers().contains(HttpHeaderNames.AUTHORIZATION) || request.headers().contains(ClickHouseHeaders.USER)
                || request.headers().contains(ClickHouseHeaders.KEY) || query.count("user") > 0
                || query.count("password") > 0;
    }

    private static ClientCredentials basic(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new ClickHouseError(ErrorCode.AUTHENTICATION_FAILED,
                    "chgate: only HTTP Basic authentication is supported in the Authorization header");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ClickHouseError(ErrorCode.AUTHENTICATION_FAILED, "chgate: the Basic credentials are not base64");
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? new ClientCredentials(orDefault(decoded), "")
                : new ClientCredentials(orDefault(decoded.substring(0, colon)), decoded.substring(colon + 1));
    }

    private static String orDefault(String user) {
        return user == null || user.isEmpty() ? "default" : user;
    }

    @Override
    public String toString() {
        return "ClientCredentials[" + user + "]";
    }
}
