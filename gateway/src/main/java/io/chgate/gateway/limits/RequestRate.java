package io.chgate.gateway.limits;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@code perMinute} requests of one gateway user in each minute, over all its connections: chproxy's
 * {@code requests_per_minute}, counted like it in whole minutes (a fixed window from the gateway's start). One atomic
 * word holds the minute and its count, so a request costs one compare-and-set and never takes a lock.
 */
public final class RequestRate {
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int perMinute;
    private final long origin;
    /** The minute's number in the high 32 bits, requests let through in it in the low 32. */
    private final AtomicLong minuteAndCount = new AtomicLong();

    public RequestRate(int perMinute, long originNanos) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be 1 or more");
        }
        this.perMinute = perMinute;
        this.origin = originNanos;
    }

    public int perMinute() {
        return perMinute;
    }

    /** Counts one request at {@code nowNanos}; false (and not counted) when the minute's requests are used up. */
    public boolean tryAcquire(long nowNanos) {
        long minute = Math.max(0, nowNanos - origin) / MINUTE_NANOS;
        while (true) {
            long state = minuteAndCount.get();
            long next;
            if (state >>> 32 != minute) {
                next = minute << 32 | 1;
            } else if ((state & 0xFFFFFFFFL) >= perMinute) {
                return false;
            } else {
                next = state + 1;
            }
            if (minuteAndCount.compareAndSet(state, next)) {
                return true;
            }
        }
    }

    /** Nanoseconds from {@code nowNanos} until the current minute ends and requests are let through again. */
    public long nanosUntilNextMinute(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - origin);
        return MINUTE_NANOS - elapsed % MINUTE_NANOS;
    }
}
