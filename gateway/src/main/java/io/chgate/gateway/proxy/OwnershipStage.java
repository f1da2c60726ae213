package io.chgate.gateway.proxy;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.ownership.OwnershipPolicy;
import io.chgate.gateway.ownership.SessionDatabases;
import java.util.List;

/**
 * The ownership check of the request path, where the upstream cannot tell gateway users apart (the embedded engine
 * runs every statement as one user): resolves the request's current databases — those it names, else its session's
 * last successful {@code USE}, else {@code default} — and asks {@link OwnershipPolicy}. Kept across reloads: it holds
 * who owns what.
 */
final class OwnershipStage {
    private final OwnershipPolicy policy;
    private final SessionDatabases sessions = new SessionDatabases();

    OwnershipStage(OwnershipPolicy policy) {
        this.policy = policy;
    }

    OwnershipPolicy.Decision check(GatewayUser user, RequestFacts facts, String sql) {
        List<String> named = facts.databases();
        List<String> current = !named.isEmpty() ? named : List.of(sessionDatabaseOr(user, facts.sessionId));
        String session = facts.sessionId;
        return policy.check(user.name(), current, sql,
                session == null ? null : database -> sessions.entered(user.name(), session, database));
    }

    private String sessionDatabaseOr(GatewayUser user, String session) {
        String entered = sessions.of(user.name(), session);
        return entered != null ? entered : "default";
    }
}
