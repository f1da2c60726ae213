package io.chgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedNetworksTest {
    private static InetAddress a(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void addressesAndRangesOfBothFamilies() throws Exception {
        AllowedNetworks n = AllowedNetworks.of(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "::1"));
        assertThat(n.allows(a("10.200.1.1"))).isTrue();
        assertThat(n.allows(a("11.0.0.1"))).isFalse();
        assertThat(n.allows(a("192.0.2.7"))).isTrue();
        assertThat(n.allows(a("192.0.2.8"))).isFalse();
        assertThat(n.allows(a("2001:db8:1::5"))).isTrue();
        assertThat(n.allows(a("2001:db9::5"))).isFalse();
        assertThat(n.allows(a("::1"))).isTrue();
        assertThat(AllowedNetworks.of(List.of()).allows(a("203.0.113.1"))).isTrue();
    }

    @Test
    void whatIsNoAddressOrRangeIsRefusedAtLoad() {
        for (String bad : new String[] {"localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "", "example.com/8"}) {
            assertThatThrownBy(() -> AllowedNetworks.of(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
