package io.chgate.bench;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load: each virtual user holds one keep-alive connection and sends its requests in order, over and
 * over, back to back; user u starts at request u (modulo the sequence's length), so that a short window weighs each
 * request alike and the users do not move in lockstep. Latencies of 200 answers are recorded in microseconds: in all,
 * per request of the sequence (of a sequence longer than one) and per {@code X-Cache} value of the answers that carry
 * one. Other statuses are errors; a connection that breaks is replaced and counted.
 */
final class ClosedLoop {
    private static final long MAX_MICROS = 60_000_000L;

    record Result(String target, int users, long requests, double seconds, Histogram latencyMicros,
            List<Histogram> perRequest, Map<String, Histogram> perCacheStatus, long errors, long failedConnections,
            String firstError) {
        double rps() {
            return requests / seconds;
        }

        double p(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile);
        }
    }

    private ClosedLoop() {
    }

    static Result run(URI target, List<byte[]> sequence, int users, double seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        AtomicLong failedConnections = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(users);
        List<User> all = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            User user = new User(sequence.size());
            all.add(user);
            int first = u % sequence.size();
            Thread thread = new Thread(() -> {
                try {
                    int next = first;
                    while (!stop.get()) {
                        try (HttpConnection c = new HttpConnection(target)) {
                            for (boolean open = true; open && !stop.get(); next = (next + 1) % sequence.size()) {
                                long start = System.nanoTime();
                                HttpConnection.Response r = c.exchange(sequence.get(next));
                                long micros = Math.min(MAX_MICROS, (System.nanoTime() - start) / 1000);
                                if (r.status() == 200) {
                                    user.record(next, r.cacheStatus(), micros);
                                } else {
                                    errors.incrementAndGet();
                                    firstError.compareAndSet(null, r.status() + " " + r.errorText());
                                }
                                open = r.keepAlive();
                            }
                        } catch (IOException e) {
                            failedConnections.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
            thread.start();
        }
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        Result result = merge(target, users, elapsed, all, errors.get(), failedConnections.get(), firstError.get());
        if (result.failedConnections() > 0 || result.errors() > 0) {
            System.err.printf(Locale.ROOT, "%s c=%d: %d connections failed and were replaced, %d error answers%s%n",
                    target, users, result.failedConnections(), result.errors(),
                    result.firstError() == null ? "" : " (first: " + result.firstError() + ")");
        }
        return result;
    }

    private static Result merge(URI target, int users, double seconds, List<User> all, long errors,
            long failedConnections, String firstError) {
        Histogram latency = histogram();
        List<Histogram> perRequest = new ArrayList<>();
        Map<String, Histogram> perCacheStatus = new TreeMap<>();
        long requests = 0;
        for (User user : all) {
            requests += user.requests;
            latency.add(user.latency);
            for (int i = 0; i < user.perRequest.size(); i++) {
                if (perRequest.size() <= i) {
                    perRequest.add(histogram());
                }
                perRequest.get(i).add(user.perRequest.get(i));
            }
            user.perCacheStatus.forEach((status, h) -> perCacheStatus.computeIfAbsent(status, s -> histogram()).add(h));
        }
        if (perRequest.isEmpty()) {
            perRequest.add(latency);
        }
        return new Result(target.toString(), users, requests, seconds, latency, perRequest, perCacheStatus, errors,
                failedConnections, firstError);
    }

    private static Histogram histogram() {
        return new Histogram(MAX_MICROS, 3);
    }

    /** One virtual user's counts, written by its thread only and read after it ends. */
    private static final class User {
        final Histogram latency = histogram();
        final List<Histogram> perRequest = new ArrayList<>();
        final Map<String, Histogram> perCacheStatus = new TreeMap<>();
        long requests;

        User(int sequenceLength) {
            for (int i = 0; sequenceLength > 1 && i < sequenceLength; i++) {
                perRequest.add(histogram());
            }
        }

        void record(int index, String cacheStatus, long micros) {
            requests++;
            latency.recordValue(micros);
            if (!perRequest.isEmpty()) {
                perRequest.get(index).recordValue(micros);
            }
            if (cacheStatus != null) {
                perCacheStatus.computeIfAbsent(cacheStatus, s -> histogram()).recordValue(micros);
            }
        }
    }
}
