package io.chgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private static InetAddress address(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void onePairsFailuresBlockOnlyThatPair() throws Exception {
        LoginThrottle t = new LoginThrottle(2, 100, 100);
        InetAddress a = address("10.0.0.1");
        t.failed(a, "alice");
        assertThat(t.blocked(a, "alice")).isFalse();
        t.failed(a, "alice");
        assertThat(t.blocked(a, "alice")).isTrue();
        assertThat(t.blocked(a, "bob")).isFalse();
        assertThat(t.blocked(address("10.0.0.2"), "alice")).isFalse();
    }

    @Test
    void anAddressSprayingNamesIsBlockedForAllNames() throws Exception {
        LoginThrottle t = new LoginThrottle(10, 3, 100);
        InetAddress a = address("10.0.0.1");
        for (String name : new String[] {"a", "b", "c"}) {
            t.failed(a, name);
        }
        assertThat(t.blocked(a, "d")).isTrue();
        assertThat(t.blocked(address("10.0.0.2"), "d")).isFalse();
    }

    @Test
    void aUserGuessedFromManyAddressesIsBlockedExceptFromItsKnownAddresses() throws Exception {
        LoginThrottle t = new LoginThrottle(10, 100, 3);
        InetAddress home = address("10.0.0.1");
        t.succeeded(home, "alice");
        for (int i = 1; i <= 3; i++) {
            t.failed(address("192.0.2." + i), "alice");
        }
        assertThat(t.blocked(address("192.0.2.200"), "alice")).isTrue();
        assertThat(t.blocked(home, "alice")).isFalse();
        assertThat(t.blocked(address("192.0.2.200"), "bob")).isFalse();
    }
}
