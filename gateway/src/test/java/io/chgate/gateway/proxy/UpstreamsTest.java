package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.config.UpstreamAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which node takes a request: the choice alone (no connection is made; the health check runs against closed
 * loopback ports, an hour apart). UpstreamNodesTest runs the same against three real servers.
 */
class UpstreamsTest {
    static Upstreams upstreams(Upstreams.Balance balance, int count) {
        List<Upstreams.Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(new Upstreams.Node(UpstreamAddress.parse("http://127.0.0.1:" + (1 + i)), null));
        }
        return new Upstreams(nodes, balance, Duration.ofHours(1));
    }

    @Test
    void roundRobinTakesEachHealthyNodeInTurnAndSkipsADownOne() {
        try (Upstreams upstreams = upstreams(Upstreams.Balance.ROUND_ROBIN, 3)) {
            Map<String, Integer> taken = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                taken.merge(upstreams.choose(null, List.of()).name(), 1, Integer::sum);
            }
            assertThat(taken.values()).containsOnly(100);
            upstreams.markDown(upstreams.nodes().get(1), "test");
            for (int i = 0; i < 100; i++) {
                assertThat(upstreams.choose(null, List.of())).isNotSameAs(upstreams.nodes().get(1));
            }
        }
    }

    @Test
    void leastLoadedTakesTheNodeWithFewestRequestsInFlight() {
        try (Upstreams upstreams = upstreams(Upstreams.Balance.LEAST_LOADED, 3)) {
            upstreams.nodes().get(0).inFlight.set(5);
            upstreams.nodes().get(1).inFlight.set(1);
            upstreams.nodes().get(2).inFlight.set(3);
            for (int i = 0; i < 10; i++) {
                assertThat(upstreams.choose(null, List.of())).isSameAs(upstreams.nodes().get(1));
            }
            assertThat(upstreams.choose(null, List.of(upstreams.nodes().get(1)))).isSameAs(upstreams.nodes().get(2));
        }
    }

    @Test
    void aSessionStaysOnItsNodeAndOnlyADownNodesSessionsMove() {
        try (Upstreams upstreams = upstreams(Upstreams.Balance.LEAST_LOADED, 3)) {
            Map<String, Upstreams.Node> home = new HashMap<>();
            for (int s = 0; s < 300; s++) {
                home.put("session-" + s, upstreams.choose("session-" + s, List.of()));
            }
            assertThat(home.values()).containsAll(upstreams.nodes());   // spread over every node
            Upstreams.Node down = upstreams.nodes().get(2);
            upstreams.markDown(down, "test");
            home.forEach((session, node) -> {
                Upstreams.Node now = upstreams.choose(session, List.of());
                if (node == down) {
                    assertThat(now).isNotSameAs(down);
                } else {
                    assertThat(now).as(session).isSameAs(node);
                }
            });
        }
    }

    @Test
    void withEveryNodeBelievedDownTheUntriedAreStillTriedThenNone() {
        try (Upstreams upstreams = upstreams(Upstreams.Balance.LEAST_LOADED, 2)) {
            upstreams.nodes().forEach(n -> upstreams.markDown(n, "test"));
            Upstreams.Node first = upstreams.choose(null, List.of());
            assertThat(first).isNotNull();
            Upstreams.Node second = upstreams.choose(null, List.of(first));
            assertThat(second).isNotNull().isNotSameAs(first);
            assertThat(upstreams.choose(null, List.of(first, second))).isNull();
        }
    }
}
