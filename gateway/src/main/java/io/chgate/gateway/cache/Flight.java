package io.chgate.gateway.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One statement on its way to ClickHouse for a key that has no answer yet (or a stale one being refreshed): requests
 * for the same key that arrive meanwhile wait for its answer rather than send the statement again (the thundering
 * herd). It lands once: with the answer it stored, or with null when there is none to share (an error, an answer too
 * large, a write that changed what it read); each waiter then hears on its own event loop.
 */
public final class Flight {
    private record Waiter(Executor loop, Consumer<CachedAnswer> then) {
    }

    final String key;
    /** The cache's invalidation count when the statement went out: a write after it makes its answer unusable. */
    final long startedAt;
    private final List<Waiter> waiters = new ArrayList<>(4);
    private boolean landed;
    private CachedAnswer answer;

    Flight(String key, long startedAt) {
        this.key = key;
        this.startedAt = startedAt;
    }

    /** Waits for the answer: {@code then} runs on {@code loop} with it, or with null; at once if it already landed. */
    public void await(Executor loop, Consumer<CachedAnswer> then) {
        CachedAnswer now;
        synchronized (this) {
            if (!landed) {
                waiters.add(new Waiter(loop, then));
                return;
            }
            now = answer;
        }
        loop.execute(() -> then.accept(now));
    }

    void land(CachedAnswer answer) {
        List<Waiter> told;
        synchronized (this) {
            if (landed) {
                return;
            }
            landed = true;
            this.answer = answer;
            told = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter w : told) {
            w.loop().execute(() -> w.then().accept(answer));
        }
    }

    synchronized int waiting() {
        return waiters.size();
    }
}
