package io.chgate.gateway.proxy;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.limits.AdmissionQueue;
import io.chgate.gateway.limits.RequestRate;
import io.chgate.gateway.limits.UserLimits;
import io.chgate.gateway.observe.GatewayMetrics;
import io.chgate.gateway.observe.UserLimitMeters;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The limits stage over each gateway user's {@link UserLimits}: {@code users[].requests_per_minute} (more get code
 * 201, as ClickHouse answers a quota exceeded), then {@code max_concurrent_queries} statements at once over all the
 * user's connections and sessions, the rest waiting in its queue; past the queue's length or time, code 202 as
 * ClickHouse answers when it has too many. It also hands each request its {@code max_execution_time}. Users without
 * limits are admitted at once, without a lock or a count.
 */
final class UserAdmission implements Admission {
    /** One user's limits, its metrics, and its execution limit as the exchange needs it. */
    private record UserState(UserLimits.Limits limits, UserLimitMeters meters, ExecutionDeadline.Limit execution) {
    }

    private final Map<String, UserState> users;
    private final Map<Waiter, AdmissionQueue.Ticket> tickets = new ConcurrentHashMap<>();

    UserAdmission(UserLimits limits, GatewayMetrics metrics) {
        Map<String, UserState> users = new HashMap<>();
        limits.all().forEach((name, l) -> {
            UserLimitMeters meters = metrics.userLimits(name, l.queue() == null ? null : l.queue()::queued);
            users.put(name, new UserState(l, meters, l.maxExecutionTime().isZero() ? null
                    : new ExecutionDeadline.Limit(l.maxExecutionTime(), l.clickhouseUser(), meters)));
        });
        this.users = Map.copyOf(users);
    }

    /** The limits stage of a gateway with this configuration: every request admitted when it has no users. */
    static Admission fromConfig(GatewayConfig config, ScheduledExecutorService timer, GatewayMetrics metrics) {
        return config.users.isEmpty() ? ADMIT_ALL : new UserAdmission(UserLimits.fromConfig(config, timer), metrics);
    }

    @Override
    public boolean admit(GatewayUser user, RequestFacts facts, Waiter waiter) {
        UserState state = user == null ? null : users.get(user.name());
        if (state == null) {
            return true;
        }
        RequestRate rate = state.limits().rate();
        if (rate != null) {
            long now = System.nanoTime();
            if (!rate.tryAcquire(now)) {
                state.meters().refused(UserLimitMeters.Reason.RATE);
                throw new ClickHouseError(ErrorCode.QUOTA_EXCEEDED, "chgate: quota for user " + user.name()
                        + " for 1 minute has been exceeded: more than " + rate.perMinute() + " requests"
                        + " (users[].requests_per_minute); the next minute begins in "
                        + Math.max(1, TimeUnit.NANOSECONDS.toSeconds(rate.nanosUntilNextMinute(now))) + " s");
            }
        }
        AdmissionQueue queue = state.limits().queue();
        if (queue == null) {
            return true;
        }
        Entry entry = new Entry(user.name(), waiter, state.meters());
        AdmissionQueue.Ticket ticket = queue.enter(entry, entry);
        boolean now = entry.settle();   // throws when refused at once
        tickets.put(waiter, ticket);
        return now;
    }

    @Override
    public ExecutionDeadline.Limit executionLimit(GatewayUser user) {
        UserState state = user == null ? null : users.get(user.name());
        return state == null ? null : state.execution();
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
        private final UserLimitMeters meters;
        private final long enteredNanos = System.nanoTime();
        private boolean entering = true;
        private boolean admittedNow;
        private AdmissionQueue.Refusal refusedNow;

        Entry(String user, Waiter waiter, UserLimitMeters meters) {
            this.user = user;
            this.waiter = waiter;
            this.meters = meters;
        }

        @Override
        public void execute(Runnable command) {
            command.run();   // the waiter hands itself over to its event loop
        }

        @Override
        public void admitted() {
            meters.waited(System.nanoTime() - enteredNanos);
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
            meters.refused(why == AdmissionQueue.Refusal.QUEUE_FULL ? UserLimitMeters.Reason.QUEUE_FULL
                    : UserLimitMeters.Reason.QUEUE_TIMEOUT);
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
