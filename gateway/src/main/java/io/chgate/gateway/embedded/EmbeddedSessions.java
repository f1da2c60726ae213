package io.chgate.gateway.embedded;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * ClickHouse's HTTP sessions ({@code session_id}, {@code session_timeout}, {@code session_check},
 * {@code close_session}) over the embedded engine: each session has an engine connection of its own, is keyed by
 * user and id as on the server, runs one request at a time (a concurrent one gets code 373, as from the server), and
 * ends after {@code session_timeout} seconds without a request.
 */
final class EmbeddedSessions implements AutoCloseable {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    private static final int MAX_SESSIONS = 256;

    private record Key(String user, String id) {
    }

    /** A session, held by the request that acquired it. */
    static final class Held {
        private final Key key;
        final EmbeddedClickHouse.Session session;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile long idleSinceNanos = System.nanoTime();
        private volatile Duration timeout;

        private Held(Key key, EmbeddedClickHouse.Session session, Duration timeout) {
            this.key = key;
            this.session = session;
            this.timeout = timeout;
        }
    }

    private final EmbeddedClickHouse engine;
    private final Map<Key, Held> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    EmbeddedSessions(EmbeddedClickHouse engine) {
        this.engine = engine;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chgate-engine-sessions");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * The session, locked for the calling thread's request.
     *
     * @throws ClickHouseError 372 when {@code check} asks for a session that does not exist, 373 when another
     *     request holds it, 202 when there are too many
     */
    Held acquire(String user, String id, boolean check, Duration timeout) {
        Key key = new Key(user, id);
        Held held = sessions.get(key);
        if (held == null) {
            if (check) {
                throw new ClickHouseError(ErrorCode.SESSION_NOT_FOUND, "Session " + id + " not found");
            }
            if (sessions.size() >= MAX_SESSIONS) {
                throw new ClickHouseError(ErrorCode.TOO_MANY_SIMULTANEOUS_QUERIES, "too many sessions on the"
                        + " embedded engine (" + MAX_SESSIONS + ")");
            }
            held = sessions.computeIfAbsent(key, k -> new Held(k, engine.openSession(), timeout));
        }
        if (!lock(held)) {
            throw new ClickHouseError(ErrorCode.SESSION_IS_LOCKED, "Session " + id + " is locked by a concurrent"
                    + " client");
        }
        if (sessions.get(key) != held) {   // ended by the sweeper between lookup and lock
            held.lock.unlock();
            return acquire(user, id, check, timeout);
        }
        held.timeout = timeout;
        return held;
    }

    /**
     * A client that sends its next request the moment it has the last answer may find the session still held by
     * the request that wrote it, for the instant it takes to let go: so wait briefly before calling it concurrent.
     */
    private static boolean lock(Held held) {
        try {
            return held.lock.tryLock(LOCK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static final long LOCK_WAIT_MILLIS = 2000;

    /** Ends the request's hold; {@code end} closes the session ({@code close_session=1}, or its state is unknown). */
    void release(Held held, boolean end) {
        held.idleSinceNanos = System.nanoTime();
        if (end || held.session.broken()) {
            sessions.remove(held.key, held);
            held.session.close();
        }
        held.lock.unlock();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Held held : sessions.values()) {
            if (now - held.idleSinceNanos > held.timeout.toNanos() && held.lock.tryLock()) {
                try {
                    if (sessions.remove(held.key, held)) {
                        held.session.close();
                    }
                } finally {
                    held.lock.unlock();
                }
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        sessions.values().forEach(held -> held.session.close());
        sessions.clear();
    }
}
