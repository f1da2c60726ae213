package io.chgate.gateway.limits;

import io.chgate.gateway.config.GatewayConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Each gateway user's {@link AdmissionQueue}, from {@code users[].max_concurrent_queries}, {@code max_queue_size} and
 * {@code max_queue_time}. On the embedded engine every user has one by default — half the engine's connections — so
 * one user's slow statements cannot take every connection from the others.
 */
public final class UserAdmissions {
    private final Map<String, AdmissionQueue> queues;

    private UserAdmissions(Map<String, AdmissionQueue> queues) {
        this.queues = queues;
    }

    public static UserAdmissions fromConfig(GatewayConfig config, ScheduledExecutorService timer) {
        boolean embedded = "embedded".equals(config.upstream.url);
        int fairShare = Math.max(1, config.upstream.embedded.connections / 2);
        Map<String, AdmissionQueue> queues = new HashMap<>();
        for (GatewayConfig.User user : config.users) {
            int limit = user.maxConcurrentQueries > 0 ? user.maxConcurrentQueries : embedded ? fairShare : 0;
            if (limit > 0) {
                queues.put(user.name, new AdmissionQueue(limit, user.maxQueueSize, user.maxQueueTime, timer));
            }
        }
        return new UserAdmissions(Map.copyOf(queues));
    }

    /** The user's queue, or null when its statements are not limited. */
    public AdmissionQueue of(String user) {
        return user == null ? null : queues.get(user);
    }
}
