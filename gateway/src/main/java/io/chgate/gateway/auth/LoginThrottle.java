package io.chgate.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failed-login budgets, each over a sliding minute (a further refused attempt extends it):
 *
 * <ul>
 *   <li>per (address, user name) — guessing one user's password from one place. Counted per pair so that one client
 *       failing cannot lock out the other users behind the same address (a NAT, a BI server);</li>
 *   <li>per address — spraying passwords across many names from one place;</li>
 *   <li>per user name — guessing one user's password from many addresses. This budget does not bind addresses the
 *       user logged in from in the last day, so an attacker rotating addresses cannot lock the user's own clients
 *       out.</li>
 * </ul>
 */
final class LoginThrottle {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration KNOWN_ADDRESS = Duration.ofDays(1);
    private static final int MAX_TRACKED = 100_000;

    private record Pair(InetAddress address, String user) {
    }

    private final int perPair;
    private final int perAddress;
    private final int perUser;
    private final Cache<Pair, AtomicInteger> pairFailures = counters();
    private final Cache<InetAddress, AtomicInteger> addressFailures = counters();
    private final Cache<String, AtomicInteger> userFailures = counters();
    private final Cache<Pair, Boolean> knownAddresses = Caffeine.newBuilder().expireAfterWrite(KNOWN_ADDRESS)
            .maximumSize(MAX_TRACKED).build();

    LoginThrottle(int perPair, int perAddress, int perUser) {
        this.perPair = perPair;
        this.perAddress = perAddress;
        this.perUser = perUser;
    }

    private static <K> Cache<K, AtomicInteger> counters() {
        return Caffeine.newBuilder().expireAfterWrite(WINDOW).maximumSize(MAX_TRACKED).build();
    }

    /** Whether a login of {@code user} from {@code address} is refused unchecked: some budget it falls under is spent. */
    boolean blocked(InetAddress address, String user) {
        Pair pair = new Pair(address, user);
        return spent(pairFailures, pair, perPair) || spent(addressFailures, address, perAddress)
                || knownAddresses.getIfPresent(pair) == null && spent(userFailures, user, perUser);
    }

    void failed(InetAddress address, String user) {
        count(pairFailures, new Pair(address, user));
        count(addressFailures, address);
        count(userFailures, user);
    }

    void succeeded(InetAddress address, String user) {
        Pair pair = new Pair(address, user);
        if (knownAddresses.getIfPresent(pair) == null) {
            knownAddresses.put(pair, Boolean.TRUE);
        }
    }

    private static <K> boolean spent(Cache<K, AtomicInteger> failures, K key, int budget) {
        AtomicInteger failed = failures.getIfPresent(key);
        if (failed == null || failed.get() < budget) {
            return false;
        }
        failures.put(key, failed);   // every refused attempt extends the wait
        return true;
    }

    private static <K> void count(Cache<K, AtomicInteger> failures, K key) {
        failures.asMap().computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }
}
