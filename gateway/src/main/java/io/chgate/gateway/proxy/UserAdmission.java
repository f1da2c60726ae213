package io.chgate.gateway.proxy;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.limits.AdmissionQueue;
import io.chgate.gateway.limits.UserAdmissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Admission by each gateway user's {@link AdmissionQueue}: {@code users[].max_concurrent_queries} statements at once
 * over all the user's connections and sessions, the rest waiting in its queue; past the queue's length or time, code
 * 202 as ClickHouse answers when it has too many. Users without a limit are admitted at once.
 */
final class UserAdmission implements Admission {
    private final UserAdmissions admissions;
    private final Map<Waiter, AdmissionQueue.Ticket> tickets = new ConcurrentHashMap<>();

    UserAdmission(UserAdmissions admissions) {
        this.admissions = admissions;
    }

    @Override
    public boolean admit(GatewayUser user, RequestFacts facts, Waiter waiter) {
        AdmissionQueue queue = user == null ? null : admissions.of(user.name());
        if (queue == null) {
            return true;
        }
        Entry entry = new Entry(user.name(), waiter);
        AdmissionQueue.Ticket ticket = queue.enter(entry, entry);
        boolean now = entry.settle();   // throws when refused at once
        tickets.put(waiter, ticket);
        return now;
    }

    @Override
    public void leave(Waiter waiter) {
        AdmissionQueue.Ticket ticket = tickets.remove(waiter);
        if (ticket != null) {
            ticket.release();
        }
    }

    /**
     * One request's answer from its queue: given while the request is still being entered, it is kept and returned
     * from {@link #admit}; given later (another user's statement ended, or the wait ran out), it goes to the waiter.
     */
    private static final class Entry implements AdmissionQueue.Waiter, Executor {
        private final String user;
        private final Waiter waiter;
        private boolean entering = true;
        private boolean admittedNow;
        private AdmissionQueue.Refusal refusedNow;

        Entry(String user, Waiter waiter) {
            this.user = user;
            this.waiter = waiter;
        }

        @Override
        public void execute(Runnable command) {
            command.run();   // the waiter hands itself over to its event loop
        }

        @Override
        public void admitted() {
            synchronized (this) {
                if (entering) {
                    admittedNow = true;
                    return;
                }
            }
            waiter.admitted();
        }

        @Override
        public void refused(AdmissionQueue.Refusal why) {
            synchronized (this) {
                if (entering) {
                    refusedNow = why;
                    return;
                }
            }
            waiter.refused(error(why));
        }

        boolean settle() {
            synchronized (this) {
                entering = false;
            }
            if (refusedNow != null) {
                throw error(refusedNow);
            }
            return admittedNow;
        }

        private ClickHouseError error(AdmissionQueue.Refusal why) {
            return new ClickHouseError(ErrorCode.TOO_MANY_SIMULTANEOUS_QUERIES, "chgate: too many simultaneous "
                    + "queries of user " + user + ": " + (why == AdmissionQueue.Refusal.QUEUE_FULL
                            ? "its queue is full (users[].max_queue_size)"
                            : "it waited longer than users[].max_queue_time"));
        }
    }
}
