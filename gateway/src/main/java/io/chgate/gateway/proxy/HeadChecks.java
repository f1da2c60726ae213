package io.chgate.gateway.proxy;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.auth.GatewayUsers;
import io.chgate.gateway.error.ClickHouseError;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The checks on a request's head, in order: whether the head could be read at all, the client's address
 * ({@code allowed_networks}), its login ({@link Authentication}), the settings it sends beside the SQL
 * ({@link SettingsStage}). A new check on the head goes here, behind these. The first refusal wins; the login is
 * still tried after an unreadable path, as before, so failed logins are counted either way.
 */
final class HeadChecks {
    /** The gateway user (null without gateway users, or when the address was refused) and the refusal, if any. */
    record Result(GatewayUser user, ClickHouseError refusal) {
    }

    /** The URL parameter with which a client asks for an answer not from the response cache. */
    static final String NO_CACHE = "no_cache";

    private HeadChecks() {
    }

    static Result run(Policy policy, HttpRequest request, RequestFacts facts) {
        ClickHouseError refused = facts.refusal;
        boolean addressAllowed = policy.networks().allows(facts.clientAddress);
        if (refused == null && !addressAllowed) {
            refused = GatewayUsers.notAllowedFrom(null, facts.clientAddress);
        }
        GatewayUser user = null;
        try {
            user = addressAllowed ? Authentication.authenticate(policy.users(), request, facts) : null;
        } catch (ClickHouseError e) {
            refused = refused != null ? refused : e;
        }
        if (refused == null) {
            refused = policy.settings().checkHead(facts, request.headers());
        }
        if (refused == null && facts.query != null && facts.query.count(NO_CACHE) > 0) {
            // chgate's own: the response cache reads it from the facts; ClickHouse would call it an unknown setting.
            request.setUri(io.chgate.gateway.http.RawQueryString.parse(request.uri()).uriWithout(NO_CACHE));
        }
        return new Result(user, refused);
    }
}
