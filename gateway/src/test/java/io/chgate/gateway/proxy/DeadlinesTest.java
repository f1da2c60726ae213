package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.error.ErrorCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void theRequestTimeoutCountsFromTheStartAndTheIdleTimeoutFromTheLastProgress() {
        Duration request = Duration.ofSeconds(10);
        Duration idle = Duration.ofSeconds(3);
        assertThat(Deadlines.passed(request, idle, 0, 0, 2 * SECOND)).isNull();
        assertThat(Deadlines.passed(request, idle, 0, 0, 4 * SECOND).code()).isEqualTo(ErrorCode.SOCKET_TIMEOUT);
        assertThat(Deadlines.passed(request, idle, 0, 8 * SECOND, 9 * SECOND)).isNull();
        assertThat(Deadlines.passed(request, idle, 0, 10 * SECOND, 11 * SECOND).code())
                .isEqualTo(ErrorCode.TIMEOUT_EXCEEDED);
        assertThat(Deadlines.passed(request, idle, 0, 10 * SECOND, 11 * SECOND).getMessage())
                .contains("upstream.request_timeout (10000 ms)");
    }

    @Test
    void noRequestTimeoutLeavesOnlyTheIdleOne() {
        assertThat(Deadlines.passed(Duration.ZERO, Duration.ofSeconds(3), 0, 100 * SECOND, 101 * SECOND)).isNull();
    }
}
