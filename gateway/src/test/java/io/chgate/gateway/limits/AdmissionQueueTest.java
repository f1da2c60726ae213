package io.chgate.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdmissionQueueTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /** Records what a waiter heard, in order. */
    private static final class Recorder implements AdmissionQueue.Waiter {
        final ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
        final CountDownLatch answered = new CountDownLatch(1);

        @Override
        public void admitted() {
            heard.add("admitted");
            answered.countDown();
        }

        @Override
        public void refused(AdmissionQueue.Refusal why) {
            heard.add(why.name());
            answered.countDown();
        }
    }

    @Test
    void admitsUpToTheLimitAtOnceThenQueuesInOrderThenRefuses() {
        AdmissionQueue q = new AdmissionQueue(2, 2, Duration.ofMinutes(1), timer);
        List<Recorder> waiters = new ArrayList<>();
        List<AdmissionQueue.Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Recorder r = new Recorder();
            waiters.add(r);
            tickets.add(q.enter(Runnable::run, r));
        }
        assertThat(waiters.get(0).heard).containsExactly("admitted");
        assertThat(waiters.get(1).heard).containsExactly("admitted");
        assertThat(waiters.get(2).heard).isEmpty();
        assertThat(waiters.get(3).heard).isEmpty();
        assertThat(waiters.get(4).heard).containsExactly("QUEUE_FULL");
        assertThat(q.running()).isEqualTo(2);
        assertThat(q.queued()).isEqualTo(2);

        tickets.get(1).release();
        assertThat(waiters.get(2).heard).containsExactly("admitted");   // first in, first out
        assertThat(waiters.get(3).heard).isEmpty();
        tickets.get(1).release();                                       // twice is once
        assertThat(waiters.get(3).heard).isEmpty();
        tickets.get(2).release();
        assertThat(waiters.get(3).heard).containsExactly("admitted");
        tickets.get(0).release();
        tickets.get(3).release();
        tickets.get(4).release();
        assertThat(q.running()).isZero();
        assertThat(q.queued()).isZero();
    }

    @Test
    void aWaiterPastItsTimeIsRefusedAndLeavesNoPlaceTaken() throws Exception {
        AdmissionQueue q = new AdmissionQueue(1, 5, Duration.ofMillis(50), timer);
        AdmissionQueue.Ticket first = q.enter(Runnable::run, new Recorder());
        Recorder late = new Recorder();
        AdmissionQueue.Ticket lateTicket = q.enter(Runnable::run, late);
        assertThat(late.answered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(late.heard).containsExactly("QUEUE_TIMEOUT");
        assertThat(q.queued()).isZero();
        lateTicket.release();
        first.release();
        assertThat(q.running()).isZero();
    }

    @Test
    void aWaiterThatGoesAwayGivesUpItsPlaceInTheQueue() {
        AdmissionQueue q = new AdmissionQueue(1, 5, Duration.ofMinutes(1), timer);
        AdmissionQueue.Ticket first = q.enter(Runnable::run, new Recorder());
        Recorder gone = new Recorder();
        q.enter(Runnable::run, gone).release();
        Recorder next = new Recorder();
        q.enter(Runnable::run, next);
        first.release();
        assertThat(gone.heard).isEmpty();
        assertThat(next.heard).containsExactly("admitted");
    }

    @Test
    void neverMoreRunningThanTheLimitUnderContention() throws Exception {
        AdmissionQueue q = new AdmissionQueue(4, 1000, Duration.ofMinutes(1), timer);
        var pool = Executors.newFixedThreadPool(8);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(400);
        for (int i = 0; i < 400; i++) {
            pool.execute(() -> {
                AdmissionQueue.Ticket[] ticket = new AdmissionQueue.Ticket[1];
                CountDownLatch entered = new CountDownLatch(1);
                ticket[0] = q.enter(pool, new AdmissionQueue.Waiter() {
                    @Override
                    public void admitted() {
                        most.accumulateAndGet(now.incrementAndGet(), Math::max);
                        now.decrementAndGet();
                        pool.execute(() -> {
                            try {
                                entered.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            ticket[0].release();
                            done.countDown();
                        });
                    }

                    @Override
                    public void refused(AdmissionQueue.Refusal why) {
                        done.countDown();
                    }
                });
                entered.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(most.get()).isLessThanOrEqualTo(4);
        assertThat(q.running()).isZero();
        assertThat(q.queued()).isZero();
    }
}
