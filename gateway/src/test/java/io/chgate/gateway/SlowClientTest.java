package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.intercept.QueryInterceptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finding M1: connections that never finished a request head were kept for minutes. A head must arrive within
 * limits.request_header_timeout, and connections beyond limits.max_connections are closed at once.
 */
class SlowClientTest {
    static GatewayUnderTest env;

    @BeforeAll
    static void start() throws Exception {
        env = GatewayUnderTest.start(QueryInterceptor.IDENTITY, Map.of(
                "CHGATE_LIMITS_REQUEST_HEADER_TIMEOUT", "1s", "CHGATE_LIMITS_MAX_CONNECTIONS", "6"));
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    /** Whether the server closed the connection within the wait (end of stream), reading and dropping any bytes. */
    static boolean closedWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // an answer, if any, then the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // reset by the server
        }
    }

    @Test
    void aRequestHeadThatNeverCompletesIsCutOff() throws IOException {
        try (Socket slow = new Socket("127.0.0.1", env.port()); Socket idle = new Socket("127.0.0.1", env.port())) {
            slow.getOutputStream().write("GET /?query=SELECT%201 HTTP/1.1\r\nHost: x\r\nX-Slow: 1"
                    .getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            assertThat(closedWithin(slow, 5000)).as("half-sent head").isTrue();
            assertThat(closedWithin(idle, 5000)).as("idle connection").isTrue();
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosed() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                held.add(new Socket("127.0.0.1", env.port()));
            }
            Thread.sleep(200);
            try (Socket extra = new Socket("127.0.0.1", env.port())) {
                assertThat(closedWithin(extra, 500)).as("the seventh connection").isTrue();
            }
            assertThat(closedWithin(held.get(0), 300)).as("a held connection, before its header timeout").isFalse();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        Thread.sleep(200);
        try (RawHttp c = new RawHttp("127.0.0.1", env.port())) {
            assertThat(c.exchange(RawHttp.request("GET", "/?query=SELECT%201", List.of(), null), false).bodyText())
                    .isEqualTo("1\n");
        }
    }
}
