package io.chgate.gateway.ownership;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The database a session's {@code USE} made current, per gateway user and session id: what unqualified names of the
 * session's later statements resolve to. Recorded only after the {@code USE} succeeded, so a failed one leaves the
 * session where the engine left it.
 */
public final class SessionDatabases {
    private record Key(String user, String session) {
    }

    /** Longer than any session lives (ClickHouse's session_timeout is at most an hour by default). */
    private final Cache<Key, String> current = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(2))
            .maximumSize(100_000).build();

    /** The session's current database, or null when none was entered (the request's or the default then). */
    public String of(String user, String session) {
        return session == null ? null : current.getIfPresent(new Key(user, session));
    }

    public void entered(String user, String session, String database) {
        if (session != null) {
            current.put(new Key(user, session), database);
        }
    }
}
