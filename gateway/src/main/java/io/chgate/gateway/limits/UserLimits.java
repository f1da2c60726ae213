package io.chgate.gateway.limits;

import io.chgate.gateway.config.GatewayConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Each gateway user's limits: its {@link AdmissionQueue} ({@code users[].max_concurrent_queries}, {@code
 * max_queue_size}, {@code max_queue_time}), its {@link RequestRate} ({@code requests_per_minute}) and the longest its
 * statements may run ({@code max_execution_time}, else {@code limits.max_execution_time}). On the embedded engine
 * every user has a queue by default — half the engine's connections — so one user's slow statements cannot take every
 * connection from the others. A user without any limit has no entry: its requests pay for none.
 */
public final class UserLimits {
    /**
     * One user's limits.
     *
     * @param queue null when its statements at once are not limited
     * @param rate null when its requests per minute are not limited
     * @param maxExecutionTime zero when its statements may run as long as they like
     * @param clickhouseUser the ClickHouse login its statements run as (null on the embedded engine)
     */
    public record Limits(AdmissionQueue queue, RequestRate rate, Duration maxExecutionTime, String clickhouseUser) {
    }

    private final Map<String, Limits> users;

    private UserLimits(Map<String, Limits> users) {
        this.users = users;
    }

    public static UserLimits fromConfig(GatewayConfig config, ScheduledExecutorService timer) {
        boolean embedded = "embedded".equals(config.upstream.url);
        int fairShare = Math.max(1, config.upstream.embedded.connections / 2);
        long origin = System.nanoTime();
        Map<String, Limits> users = new HashMap<>();
        for (GatewayConfig.User user : config.users) {
            int concurrent = user.maxConcurrentQueries > 0 ? user.maxConcurrentQueries : embedded ? fairShare : 0;
            AdmissionQueue queue = concurrent > 0
                    ? new AdmissionQueue(concurrent, user.maxQueueSize, user.maxQueueTime, timer) : null;
            RequestRate rate = user.requestsPerMinute > 0 ? new RequestRate(user.requestsPerMinute, origin) : null;
            Duration execution = user.maxExecutionTime != null && !user.maxExecutionTime.isZero()
                    ? user.maxExecutionTime : config.limits.maxExecutionTime;
            if (queue != null || rate != null || !execution.isZero()) {
                users.put(user.name, new Limits(queue, rate, execution, embedded ? null : user.clickhouse.user));
            }
        }
        return new UserLimits(Map.copyOf(users));
    }

    /** The user's limits, or null when it has none. */
    public Limits of(String user) {
        return user == null ? null : users.get(user);
    }

    /** Every user with limits, by name. */
    public Map<String, Limits> all() {
        return users;
    }
}
