package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.observe.GatewayMetrics;
import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.config.UpstreamAddress;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.intercept.QueryInterceptor;
import io.chgate.testkit.LocalStack;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admission stage where the chain asks it: after the head's checks, before any upstream connection is taken. A
 * client handler in front of the real ClickHouse server, with an admission that holds every request until told.
 */
class AdmissionChainTest {
    EventLoopGroup group;
    Channel server;
    Upstreams upstreams;
    final HoldingAdmission admission = new HoldingAdmission();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (upstreams != null) {
            upstreams.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aWaitingRequestTakesNoUpstreamConnectionAndRunsOnceAdmitted() throws Exception {
        start();
        try (Socket client = connect()) {
            send(client, "GET /?query=SELECT%2041 HTTP/1.1\r\nHost: x\r\n\r\n");
            Admission.Waiter waiter = admission.waiting.get(5, TimeUnit.SECONDS);
            assertThat(admission.user.get()).isNull();
            Thread.sleep(300);
            assertThat(client.getInputStream().available()).isZero();
            assertThat(upstreams.nodes().get(0).inFlight.get()).isZero();   // no connection was asked for
            group.next().execute(waiter::admitted);
            String answer = read(client);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("\r\n41\n");
            waitFor(() -> admission.left.size() == 1);
            assertThat(admission.left).containsExactly(waiter);
        }
    }

    @Test
    void aWaitingRequestRefusedIsAnsweredWithTheAdmissionsError() throws Exception {
        start();
        try (Socket client = connect()) {
            send(client, "GET /?query=SELECT%201 HTTP/1.1\r\nHost: x\r\n\r\n");
            Admission.Waiter waiter = admission.waiting.get(5, TimeUnit.SECONDS);
            group.next().execute(() -> waiter.refused(new ClickHouseError(ErrorCode.TIMEOUT_EXCEEDED,
                    "chgate: waited too long for a turn")));
            String answer = read(client);
            assertThat(answer).contains("X-ClickHouse-Exception-Code: 159")
                    .contains("Code: 159. DB::Exception: chgate: waited too long for a turn");
            waitFor(() -> admission.left.size() == 1);
        }
    }

    @Test
    void aClientThatLeavesWhileWaitingGivesUpItsTurn() throws Exception {
        start();
        Socket client = connect();
        send(client, "GET /?query=SELECT%201 HTTP/1.1\r\nHost: x\r\n\r\n");
        Admission.Waiter waiter = admission.waiting.get(5, TimeUnit.SECONDS);
        client.close();
        waitFor(() -> admission.left.size() == 1);
        assertThat(admission.left).containsExactly(waiter);
        group.next().submit(waiter::admitted).get();   // too late: nothing is taken for it
        assertThat(upstreams.nodes().get(0).inFlight.get()).isZero();
    }

    @Test
    void aRequestRefusedByItsHeadIsNeverShownToAdmission() throws Exception {
        start();
        try (Socket client = connect()) {
            send(client, "GET /?query=SELECT%201&input_format_values_interpret_expressions=1 HTTP/1.1\r\n"
                    + "Host: x\r\n\r\n");
            assertThat(read(client)).contains("X-ClickHouse-Exception-Code: 497");
        }
        assertThat(admission.waiting).isNotDone();
        assertThat(admission.left).isEmpty();
    }

    void start() throws Exception {
        LocalStack stack = LocalStack.get();
        group = new NioEventLoopGroup(1);
        UpstreamAddress address = UpstreamAddress.parse(stack.clickhouseHttpUrl());
        upstreams = new Upstreams(List.of(new Upstreams.Node(address, new UpstreamPool(NioSocketChannel.class,
                address, Duration.ofSeconds(2), 4, Duration.ofMinutes(1), 64 * 1024, null))),
                Upstreams.Balance.LEAST_LOADED, Duration.ofHours(1));
        ProxySettings settings = new ProxySettings(upstreams,
                new AtomicReference<>(new Policy(QueryInterceptor.IDENTITY, null)), 1 << 20, Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofSeconds(30), new GatewayMetrics(), null, admission);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpRequestDecoder(), new ClientResponseEncoder(),
                                new ClientHandler(settings));
                    }
                }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    Socket connect() throws Exception {
        Socket socket = new Socket();
        socket.connect(server.localAddress(), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    static void send(Socket socket, String request) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One response, its body (Content-Length or chunked) unframed after the head. */
    static String read(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        String head = line(in, "\r\n\r\n");
        StringBuilder text = new StringBuilder(head);
        int length = -1;
        boolean chunked = false;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
            chunked |= line.regionMatches(true, 0, "Transfer-Encoding: chunked", 0, 26);
        }
        if (!chunked) {
            return text.append(new String(in.readNBytes(length), StandardCharsets.UTF_8)).toString();
        }
        for (int size = Integer.parseInt(line(in, "\r\n").trim(), 16); size > 0;
                size = Integer.parseInt(line(in, "\r\n").trim(), 16)) {
            text.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            line(in, "\r\n");
        }
        line(in, "\r\n");
        return text.toString();
    }

    private static String line(InputStream in, String end) throws Exception {
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("the connection closed after " + text);
            }
            text.append((char) b);
        }
        return text.toString();
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    /** Holds every request: it waits until the test admits or refuses it. */
    static final class HoldingAdmission implements Admission {
        final CompletableFuture<Admission.Waiter> waiting = new CompletableFuture<>();
        final AtomicReference<GatewayUser> user = new AtomicReference<>();
        final List<Admission.Waiter> left = new CopyOnWriteArrayList<>();

        @Override
        public boolean admit(GatewayUser gatewayUser, RequestFacts facts, Waiter waiter) {
            user.set(gatewayUser);
            waiting.complete(waiter);
            return false;
        }

        @Override
        public void leave(Waiter waiter) {
            left.add(waiter);
        }
    }
}
