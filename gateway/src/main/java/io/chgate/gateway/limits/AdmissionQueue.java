package io.chgate.gateway.limits;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code maxRunning} statements of one gateway user at once; more wait in a FIFO queue of at most
 * {@code maxQueued} for at most {@code maxWait}, and past either are refused. One queue serves every connection and
 * session of its user, on whatever event loop each runs: admissions are handed back on the waiter's own executor.
 *
 * <p>Why not a {@link java.util.concurrent.Semaphore}: a waiter must not block an event loop, must leave the queue
 * when its client goes away or its time is up, and the queue's length is itself a limit.
 */
public final class AdmissionQueue {
    /** Why a request was not admitted. */
    public enum Refusal { QUEUE_FULL, QUEUE_TIMEOUT }

    /** What a request is told: admitted (now or later) or refused (once, instead). */
    public interface Waiter {
        void admitted();

        void refused(Refusal why);
    }

    /** A request's place: {@link #release()} when its statement ends, whether it was admitted, queued or refused. */
    public interface Ticket {
        void release();
    }

    private final int maxRunning;
    private final int maxQueued;
    private final Duration maxWait;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private int running;

    /**
     * @param timer where queue timeouts are counted; waiters are answered on their own executor, not on this one
     */
    public AdmissionQueue(int maxRunning, int maxQueued, Duration maxWait, ScheduledExecutorService timer) {
        if (maxRunning < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("maxRunning must be 1 or more and maxQueued 0 or more");
        }
        this.maxRunning = maxRunning;
        this.maxQueued = maxQueued;
        this.maxWait = maxWait;
        this.timer = timer;
    }

    /** Asks for a place; {@code waiter} hears the answer on {@code executor} (at once, on the caller, when admitted now). */
    public Ticket enter(Executor executor, Waiter waiter) {
        Queued q;
        synchronized (this) {
            if (running < maxRunning) {
                running++;
                q = null;
            } else if (queue.size() >= maxQueued) {
                q = null;
                executor.execute(() -> waiter.refused(Refusal.QUEUE_FULL));
                return NOTHING_HELD;
            } else {
                q = new Queued(executor, waiter);
                queue.add(q);
            }
        }
        if (q == null) {
            waiter.admitted();
            return new Running();
        }
        q.timeout = timer.schedule(q::timedOut, maxWait.toNanos(), TimeUnit.NANOSECONDS);
        return q;
    }

    /** Statements running now. */
    public synchronized int running() {
        return running;
    }

    /** Statements waiting now. */
    public synchronized int queued() {
        return queue.size();
    }

    private void finishOne() {
        Queued next;
        synchronized (this) {
            next = queue.poll();
            if (next == null) {
                running--;
                return;
            }
            next.state = State.ADMITTED;   // the finished statement's place passes to it: running stays the same
        }
        next.cancelTimeout();   // a timer not yet set (admitted at once) fires into the ADMITTED state: no effect
        next.executor.execute(next.waiter::admitted);
    }

    private static final Ticket NOTHING_HELD = () -> { };

    private enum State { WAITING, ADMITTED, GONE }

    private final class Running implements Ticket {
        private boolean released;

        @Override
        public void release() {
            synchronized (AdmissionQueue.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            finishOne();
        }
    }

    private final class Queued implements Ticket {
        final Executor executor;
        final Waiter waiter;
        /** Guarded by the queue's lock. */
        State state = State.WAITING;
        volatile ScheduledFuture<?> timeout;

        Queued(Executor executor, Waiter waiter) {
            this.executor = executor;
            this.waiter = waiter;
        }

        void cancelTimeout() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
        }

        void timedOut() {
            synchronized (AdmissionQueue.this) {
                if (state != State.WAITING) {
                    return;
                }
                state = State.GONE;
                queue.remove(this);
            }
            executor.execute(() -> waiter.refused(Refusal.QUEUE_TIMEOUT));
        }

        @Override
        public void release() {
            boolean wasRunning;
            synchronized (AdmissionQueue.this) {
                wasRunning = state == State.ADMITTED;
                if (state == State.WAITING) {
                    queue.remove(this);
                }
                state = State.GONE;
            }
            cancelTimeout();
            if (wasRunning) {
                finishOne();
            }
        }
    }
}
