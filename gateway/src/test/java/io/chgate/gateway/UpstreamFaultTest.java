package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What clients see when ClickHouse is down, slow, or dies in the middle of a response. */
class UpstreamFaultTest {

    @Test
    void clickHouseStoppedGivesA502PromptlyAndRecoversWhenItIsBack() throws Exception {
        LocalStack stack = LocalStack.get();
        GatewayUnderTest env = GatewayUnderTest.shared();
        byte[] request = RawHttp.request("GET", q("SELECT 'alive'"), List.of(), null);
        assertThat(env.proxied(request, false).bodyText()).isEqualTo("alive\n");
        stack.stopService("clickhouse");
        try {
            long start = System.nanoTime();
            Response down = env.proxied(request, false);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(down.status()).isEqualTo(502);
            assertThat(down.header("X-ClickHouse-Exception-Code")).isEqualTo("210");
            assertThat(down.bodyText()).startsWith("Code: 210. DB::Exception: chgate: upstream ClickHouse")
                    .contains("is unreachable");
            assertThat(millis).as("answered promptly").isLessThan(2000);
        } finally {
            stack.startService("clickhouse");
        }
        assertThat(env.proxied(request, false).bodyText()).isEqualTo("alive\n");
    }

    /**
     * A fault that cannot be produced with the real server on demand: an upstream that dies after sending part of
     * a chunked response. A fake upstream (a plain socket) stands in for ClickHouse here, and only here.
     */
    @Test
    void anUpstreamThatDiesMidStreamCutsTheClientResponseShort() throws Exception {
        try (ServerSocket fake = new ServerSocket(0)) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = fake.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/tab-separated-values; charset=UTF-8\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n5\r\n1\n2\n3\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    s.setSoLinger(true, 0);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (GatewayUnderTest env = GatewayUnderTest.start(io.chgate.gateway.intercept.QueryInterceptor.IDENTITY,
                    Map.of("CHGATE_UPSTREAM_URL", "http://127.0.0.1:" + fake.getLocalPort()))) {
                Response r = env.proxied(RawHttp.request("GET", q("SELECT 1"), List.of(), null), false);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("1\n2\n3");
                assertThat(r.complete()).as("a cut response must not end with the final chunk").isFalse();
            }
            served.get(5, TimeUnit.SECONDS);
        }
    }

    /**
     * An upstream that sends a second, unasked-for response right behind the first must not have it taken as the
     * answer to the client's next (pipelined) request: the connection is closed, not pooled. ClickHouse does not do
     * this, so a fake upstream (a plain socket) stands in for it; without the check the second request reads
     * "SMUGGLED".
     */
    @Test
    void bytesBehindAResponseNeverAnswerTheNextRequest() throws Exception {
        try (ServerSocket fake = new ServerSocket(0)) {
            java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
            Thread server = new Thread(() -> {
                while (!fake.isClosed()) {
                    try {
                        Socket s = fake.accept();
                        int connection = connections.incrementAndGet();
                        CompletableFuture.runAsync(() -> answer(s, connection));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            server.setDaemon(true);
            server.start();
            try (GatewayUnderTest env = GatewayUnderTest.start(io.chgate.gateway.intercept.QueryInterceptor.IDENTITY,
                    Map.of("CHGATE_UPSTREAM_URL", "http://127.0.0.1:" + fake.getLocalPort()));
                    RawHttp client = env.openProxied()) {
                java.io.ByteArrayOutputStream two = new java.io.ByteArrayOutputStream();
                two.writeBytes(RawHttp.request("GET", q("SELECT 'first'"), List.of(), null));
                two.writeBytes(RawHttp.request("GET", q("SELECT 'second'"), List.of(), null));
                client.send(two.toByteArray());
                assertThat(client.read(false, false).bodyText()).isEqualTo("first");
                assertThat(client.read(false, false).bodyText()).isEqualTo("second");
                assertThat(connections.get()).as("the first connection was not reused").isEqualTo(2);
            }
        }
    }

    /** The fake upstream: on its first connection, the answer is followed by a response nobody asked for. */
    private static void answer(Socket s, int connection) {
        try (s) {
            java.io.InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            StringBuilder head = new StringBuilder();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
                if (head.toString().endsWith("\r\n\r\n")) {
                    String body = head.indexOf("second") >= 0 ? "second" : "first";
                    String response = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
                    if (connection == 1) {
                        response += "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nSMUGGLED";
                    }
                    out.write(response.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    head.setLength(0);
                }
            }
        } catch (IOException e) {
            // the gateway closed the connection: nothing more to answer
        }
    }

    @Test
    void anUpstreamThatNeverAnswersTimesOutWithAClickHouseError() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = silent.accept()) {
                    s.setSoTimeout(5000);
                    Thread.sleep(5000);
                } catch (IOException | InterruptedException ignored) {
                    // the gateway gives up first
                }
            });
            try (GatewayUnderTest env = GatewayUnderTest.start(io.chgate.gateway.intercept.QueryInterceptor.IDENTITY,
                    Map.of("CHGATE_UPSTREAM_URL", "http://127.0.0.1:" + silent.getLocalPort(),
                            "CHGATE_UPSTREAM_IDLE_TIMEOUT", "500ms"))) {
                long start = System.nanoTime();
                Response r = env.proxied(RawHttp.request("GET", q("SELECT 1"), List.of(), null), false);
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("209");
                assertThat(r.bodyText()).startsWith("Code: 209. DB::Exception: chgate: nothing moved for longer than");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(400L, 3000L);
            }
        }
    }
}
