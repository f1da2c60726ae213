package io.chgate.gateway.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * One gateway user's limit metrics: how long its statements waited for their turn, and its requests refused by each
 * limit. Made once per user when the limits are set up, so recording costs no registry lookup.
 */
public final class UserLimitMeters {
    /** Which limit refused a request; the {@code reason} label. */
    public enum Reason { QUEUE_FULL, QUEUE_TIMEOUT, RATE, EXECUTION_TIME }

    private final Counter[] refusals = new Counter[Reason.values().length];
    private final LatencyHistogram wait;

    UserLimitMeters(MeterRegistry registry, String user) {
        for (Reason reason : Reason.values()) {
            refusals[reason.ordinal()] = Counter.builder("chgate_user_limit_refusals")
                    .description("requests refused or cancelled by a gateway user's limit, by user and reason")
                    .tag("user", user).tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        wait = new LatencyHistogram("chgate_user_queue_wait_seconds",
                "how long a gateway user's statements waited for their turn (admitted ones)",
                "user=\"" + LatencyHistogram.labelValue(user) + "\"");
    }

    public void refused(Reason reason) {
        refusals[reason.ordinal()].increment();
    }

    /** A statement was admitted after waiting this long (0 when at once). */
    public void waited(long nanos) {
        wait.record(nanos);
    }

    LatencyHistogram waitHistogram() {
        return wait;
    }
}
