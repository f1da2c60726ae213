package io.chgate.gateway.embedded;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import java.time.Duration;

/**
 * The session a request names with ClickHouse's {@code session_*} parameters, keyed by its user as the server keys
 * it, so no client joins another's session by guessing its id.
 */
record SessionRequest(String user, String id, boolean check, boolean close, Duration timeout) {

    /**
     * The session the parameters name, or null for none.
     *
     * @throws ClickHouseError 72 or 374 for a {@code session_timeout} that is not a number or out of range
     */
    static SessionRequest of(EngineRequest.Parameters params, String user) {
        String id = params.first("session_id");
        if (id == null || id.isEmpty()) {
            return null;
        }
        return new SessionRequest(user == null || user.isEmpty() ? "default" : user, id,
                "1".equals(params.first("session_check")), "1".equals(params.first("close_session")),
                timeout(params.first("session_timeout")));
    }

    private static Duration timeout(String seconds) {
        if (seconds == null) {
            return EmbeddedSessions.DEFAULT_TIMEOUT;
        }
        Duration timeout;
        try {
            timeout = Duration.ofSeconds(Long.parseLong(seconds));
        } catch (NumberFormatException e) {
            throw new ClickHouseError(ErrorCode.CANNOT_PARSE_NUMBER, "Cannot parse session_timeout");
        }
        if (timeout.isNegative() || timeout.compareTo(EmbeddedSessions.MAX_TIMEOUT) > 0) {
            throw new ClickHouseError(ErrorCode.INVALID_SESSION_TIMEOUT, "Session timeout must be between 0 and "
                    + EmbeddedSessions.MAX_TIMEOUT.toSeconds() + " seconds");
        }
        return timeout;
    }
}
