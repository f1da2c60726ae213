package io.chgate.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestRateTest {
    static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    @Test
    void letsThroughItsRequestsPerMinuteAndNoMoreUntilTheNextMinute() {
        long origin = 1_000_000L;
        RequestRate rate = new RequestRate(3, origin);
        for (int i = 0; i < 3; i++) {
            assertThat(rate.tryAcquire(origin + i)).isTrue();
        }
        assertThat(rate.tryAcquire(origin + MINUTE - 1)).isFalse();
        assertThat(rate.tryAcquire(origin + MINUTE - 1)).isFalse();   // refusals are not counted, nor do they help
        assertThat(rate.nanosUntilNextMinute(origin + MINUTE - 10)).isEqualTo(10);
        for (int i = 0; i < 3; i++) {
            assertThat(rate.tryAcquire(origin + MINUTE + i)).isTrue();
        }
        assertThat(rate.tryAcquire(origin + 2 * MINUTE - 1)).isFalse();
        assertThat(rate.tryAcquire(origin + 5 * MINUTE)).isTrue();   // minutes without requests in between
    }

    @Test
    void countsExactlyUnderContention() throws Exception {
        RequestRate rate = new RequestRate(10_000, 0);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> {
                    int through = 0;
                    for (int i = 0; i < 5_000; i++) {
                        through += rate.tryAcquire(1) ? 1 : 0;
                    }
                    return through;
                });
            }
            int total = 0;
            for (Future<Integer> f : threads.invokeAll(tasks)) {
                total += f.get();
            }
            assertThat(total).isEqualTo(10_000);
        } finally {
            threads.shutdownNow();
        }
    }
}
