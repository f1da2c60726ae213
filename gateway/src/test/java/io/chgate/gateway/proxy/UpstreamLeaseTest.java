package io.chgate.gateway.proxy;

import static io.chgate.gateway.proxy.RewriteApplierTest.get;
import static io.chgate.gateway.proxy.RewriteApplierTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.config.UpstreamAddress;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forwarding stage's lease on real loopback sockets: a refused port is a node that cannot be reached, a listening
 * one a node that can (nothing is sent on it).
 */
class UpstreamLeaseTest {
    static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void onlyABodilessReadMayGoToAnotherNode() {
        try (Upstreams one = UpstreamsTest.upstreams(Upstreams.Balance.ROUND_ROBIN, 1);
                Upstreams two = UpstreamsTest.upstreams(Upstreams.Balance.ROUND_ROBIN, 2)) {
            assertThat(UpstreamLease.retryable(new RequestFacts(get("/?query=SELECT%201")), true, two)).isTrue();
            assertThat(UpstreamLease.retryable(new RequestFacts(get("/?query=WITH%201%20AS%20a%20SELECT%20a")), true,
                    two)).isTrue();
            assertThat(UpstreamLease.retryable(new RequestFacts(get("/")), true, two)).isTrue();
            assertThat(UpstreamLease.retryable(new RequestFacts(get("/?query=SELECT%201")), false, two)).isFalse();
            assertThat(UpstreamLease.retryable(new RequestFacts(get("/?query=SELECT%201")), true, one)).isFalse();
            assertThat(UpstreamLease.retryable(new RequestFacts(get("/?query=OPTIMIZE%20TABLE%20t")), true, two))
                    .isFalse();
            assertThat(UpstreamLease.retryable(new RequestFacts(get("/?query=INSERT%20INTO%20t%20SELECT%201")), true,
                    two)).isFalse();
            assertThat(UpstreamLease.retryable(new RequestFacts(post("/?query=SELECT%201", 3)), true, two)).isFalse();
        }
    }

    @Test
    void aNodeThatCannotBeReachedIsMarkedDownAndTheNextOneLeased() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Upstreams upstreams = upstreams(closedPort(), listening.getLocalPort());
            Holder holder = new Holder();
            UpstreamLease lease = new UpstreamLease(upstreams, null, group.next(), holder);
            // Round robin starts on the first node; the refused one is tried first.
            group.next().execute(() -> lease.acquire(null));
            Object outcome = holder.outcome.get(10, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(Channel.class);
            Channel ch = (Channel) outcome;
            assertThat(((InetSocketAddress) ch.remoteAddress()).getPort()).isEqualTo(listening.getLocalPort());
            assertThat(upstreams.nodes().get(0).healthy()).isFalse();
            assertThat(upstreams.nodes().get(1).inFlight.get()).isEqualTo(1);
            assertThat(upstreams.nodes().get(0).inFlight.get()).isZero();
            group.next().submit(() -> {
                lease.close();
                lease.leaveNode();
            }).get();
            assertThat(ch.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(lease.channel()).isNull();
            assertThat(upstreams.nodes().get(1).inFlight.get()).isZero();
            upstreams.close();
        }
    }

    @Test
    void whenNoNodeIsLeftTheRequestGetsA502NamingThemAll() throws Exception {
        Upstreams upstreams = upstreams(closedPort(), closedPort());
        Holder holder = new Holder();
        UpstreamLease lease = new UpstreamLease(upstreams, "session-1", group.next(), holder);
        group.next().execute(() -> lease.acquire(null));
        Object outcome = holder.outcome.get(10, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOfSatisfying(ClickHouseError.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NETWORK_ERROR);
            assertThat(e.status()).isEqualTo(HttpResponseStatus.BAD_GATEWAY);
            assertThat(e.getMessage()).contains("2 ClickHouse nodes");
        });
        assertThat(upstreams.nodes()).allSatisfy(node -> {
            assertThat(node.healthy()).isFalse();
            assertThat(node.inFlight.get()).isZero();
        });
        upstreams.close();
    }

    @Test
    void aConnectionNoLongerWantedGoesBackToThePool() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Upstreams upstreams = upstreams(listening.getLocalPort());
            Holder holder = new Holder();
            holder.wanted = false;
            UpstreamLease lease = new UpstreamLease(upstreams, null, group.next(), holder);
            group.next().execute(() -> lease.acquire(null));
            Thread.sleep(500);
            assertThat(holder.outcome).isNotDone();
            assertThat(lease.channel()).isNull();
            // Pooled: the next acquire on the loop is the same connection at once, no new one being opened.
            io.netty.channel.ChannelFuture again = group.next().submit(
                    () -> upstreams.nodes().get(0).pool.acquire(group.next())).get();
            assertThat(again.isDone()).isTrue();
            assertThat(again.channel().isActive()).isTrue();
            again.channel().close();
            upstreams.close();
        }
    }

    static Upstreams upstreams(int... ports) {
        List<Upstreams.Node> nodes = new ArrayList<>();
        for (int port : ports) {
            UpstreamAddress address = UpstreamAddress.parse("http://127.0.0.1:" + port);
            nodes.add(new Upstreams.Node(address, new UpstreamPool(NioSocketChannel.class, address,
                    Duration.ofSeconds(2), 4, Duration.ofMinutes(1), 8192, null)));
        }
        return new Upstreams(nodes, Upstreams.Balance.ROUND_ROBIN, Duration.ofHours(1));
    }

    static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static final class Holder implements UpstreamLease.Holder {
        final CompletableFuture<Object> outcome = new CompletableFuture<>();
        volatile boolean wanted = true;

        @Override
        public boolean answered() {
            return !wanted;
        }

        @Override
        public void onUpstreamLeased(Channel upstream) {
            outcome.complete(upstream);
        }

        @Override
        public void refused(ClickHouseError error) {
            outcome.complete(error);
        }
    }
}
