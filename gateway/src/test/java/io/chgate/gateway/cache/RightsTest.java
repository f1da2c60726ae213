package io.chgate.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.auth.GatewayUser;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RightsTest {
    @Test
    void equalRightsShareAndAnyDifferenceSeparates() {
        GatewayUser alice = new GatewayUser("alice", "Basic YTpi", Set.of("pg", "my"), false, Set.of());
        GatewayUser carol = new GatewayUser("carol", "Basic YTpi", Set.of("my", "pg"), false, Set.of());
        assertThat(Rights.of(carol)).isEqualTo(Rights.of(alice));
        assertThat(Rights.of(new GatewayUser("b", "Basic YTpi", Set.of("pg"), false, Set.of())))
                .isNotEqualTo(Rights.of(alice));
        assertThat(Rights.of(new GatewayUser("b", "Basic YTpi", Set.of("pg", "my"), true, Set.of())))
                .isNotEqualTo(Rights.of(alice));
        assertThat(Rights.of(new GatewayUser("b", "Basic Yjpj", Set.of("pg", "my"), false, Set.of())))
                .isNotEqualTo(Rights.of(alice));
        assertThat(Rights.of(new GatewayUser("b", "Basic YTpi", Set.of("pg", "my"), false, Set.of("url"))))
                .isNotEqualTo(Rights.of(alice));
        assertThat(Rights.of(alice)).doesNotContain("YTpi");   // the login is hashed, never kept as sent
    }
}
