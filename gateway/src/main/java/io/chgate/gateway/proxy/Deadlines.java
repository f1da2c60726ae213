package io.chgate.gateway.proxy;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import java.time.Duration;

/** The time limits of a request: as a whole ({@code upstream.request_timeout}) and without progress. */
final class Deadlines {
    private Deadlines() {
    }

    /**
     * The error for a limit passed at {@code now}, or null.
     *
     * @param requestTimeout zero for none
     */
    static ClickHouseError passed(Duration requestTimeout, Duration idleTimeout, long startNanos,
            long lastProgressNanos, long now) {
        long requestNanos = requestTimeout.toNanos();
        if (requestNanos > 0 && now - startNanos > requestNanos) {
            return new ClickHouseError(ErrorCode.TIMEOUT_EXCEEDED, "chgate: the request took longer than "
                    + "upstream.request_timeout (" + requestTimeout.toMillis() + " ms)");
        }
        if (now - lastProgressNanos > idleTimeout.toNanos()) {
            return new ClickHouseError(ErrorCode.SOCKET_TIMEOUT, "chgate: nothing moved for longer than "
                    + "upstream.idle_timeout (" + idleTimeout.toMillis() + " ms)");
        }
        return null;
    }
}
