package io.chgate.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Which sessions carry state an answer may depend on. A session's {@code SET}, {@code USE} and temporary tables are
 * in no cache key, so a read in a session may be answered from the cache only while the session has none: chgate
 * saw every statement of it (all of them pass through chgate), and each was a read whose answer may be kept. A
 * session chgate did not see begin — one that may have been open on the server before this process started, up to
 * ClickHouse's longest session timeout (an hour by default) — is treated as having state; so is one forgotten.
 */
final class SessionStates {
    /** ClickHouse's default {@code max_session_timeout}: no server session outlives its last request by more. */
    static final Duration LONGEST_SESSION = Duration.ofHours(1);

    private final Ticker ticker;
    private final long startedNanos;
    private final boolean sessionsDieWithUs;
    /** Sessions seen, by id: true once one carries state. Forgotten an hour after their last request. */
    private final Cache<String, Boolean> seen;

    /** @param sessionsDieWithUs the upstream's sessions end with this process (the embedded engine) */
    SessionStates(Ticker ticker, boolean sessionsDieWithUs) {
        this.ticker = ticker;
        this.startedNanos = ticker.read();
        this.sessionsDieWithUs = sessionsDieWithUs;
        this.seen = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(LONGEST_SESSION).ticker(ticker)
                .build();
    }

    /** Whether a read in this session may be answered from (and kept in) the cache. */
    boolean clean(String session) {
        Boolean state = seen.get(session, s -> !sessionsDieWithUs && ticker.read() - startedNanos
                < LONGEST_SESSION.toNanos());
        return !state;
    }

    /** A statement that may change the session's state goes to it. */
    void changed(String session) {
        seen.put(session, true);
    }
}
