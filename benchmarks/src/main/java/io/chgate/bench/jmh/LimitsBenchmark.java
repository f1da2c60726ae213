package io.chgate.bench.jmh;

import io.chgate.gateway.limits.AdmissionQueue;
import io.chgate.gateway.limits.RequestRate;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the limits stage costs one request of a user whose limits are far above the load: a request counted against
 * {@code requests_per_minute}, and a place taken and given back in its {@code max_concurrent_queries} queue, by two
 * threads at once (the event loops of a 2-core machine), to compare with a proxied request's tens of microseconds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Threads(2)
public class LimitsBenchmark {
    private static final Executor DIRECT = Runnable::run;
    private static final AdmissionQueue.Waiter WAITER = new AdmissionQueue.Waiter() {
        @Override
        public void admitted() {
        }

        @Override
        public void refused(AdmissionQueue.Refusal why) {
            throw new IllegalStateException("refused: " + why);
        }
    };

    private ScheduledExecutorService timer;
    private AdmissionQueue queue;
    private RequestRate rate;

    @Setup
    public void setUp() {
        timer = Executors.newSingleThreadScheduledExecutor();
        queue = new AdmissionQueue(1_000_000, 1024, Duration.ofSeconds(30), timer);
        rate = new RequestRate(Integer.MAX_VALUE, System.nanoTime());
    }

    @TearDown
    public void tearDown() {
        timer.shutdownNow();
    }

    @Benchmark
    public boolean requestCounted() {
        return rate.tryAcquire(System.nanoTime());
    }

    @Benchmark
    public void placeTakenAndGivenBack() {
        queue.enter(DIRECT, WAITER).release();
    }

    public static void main(String[] args) throws Exception {
        new org.openjdk.jmh.runner.Runner(new org.openjdk.jmh.runner.options.OptionsBuilder()
                .include(LimitsBenchmark.class.getSimpleName()).forks(1).warmupIterations(3)
                .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1)).measurementIterations(5)
                .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1)).build()).run();
    }
}
