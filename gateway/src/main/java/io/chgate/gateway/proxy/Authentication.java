package io.chgate.gateway.proxy;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.auth.GatewayUsers;
import io.chgate.gateway.error.ClickHouseError;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The first stage of a request: who sends it. With gateway users configured, the credentials the request presents
 * are checked and then replaced, in the head itself, by the user's own ClickHouse login (so the client's never go
 * further and no second head is built); without them, clients authenticate to ClickHouse and nothing happens here.
 */
final class Authentication {
    private Authentication() {
    }

    /**
     * The gateway user the request authenticates as; {@code head} is from then on the head as forwarded. Null when
     * the gateway has no users, and for what is not authenticated: a head that could not be decoded or whose URI
     * could not be read (both refused later), and a bare health check, which ClickHouse answers without login.
     *
     * A client certificate's subject comes from the connection's TLS session (read into the facts), never from the
     * head.
     *
     * @throws ClickHouseError code 516 when the credentials are refused
     */
    static GatewayUser authenticate(GatewayUsers users, HttpRequest head, RequestFacts facts) {
        if (users == null || head.decoderResult().isFailure() || facts.query == null || isHealthCheck(head)) {
            return null;
        }
        GatewayUser user = users.authenticate(head, facts.query, facts.clientAddress,
                facts.certificateSubject);
        GatewayUsers.asUser(head, facts.query, user);
        return user;
    }

    /** ClickHouse answers these without authentication, and runs no SQL for them. */
    private static boolean isHealthCheck(HttpRequest head) {
        String uri = head.uri();
        return uri.equals("/ping") || uri.equals("/replicas_status");
    }
}
