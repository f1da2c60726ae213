package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finding B2: when ClickHouse answers early (and closes) while a large body is still being sent, the client must get
 * ClickHouse's answer, as it would directly — not chgate's 502. Against the real 18.16 server.
 */
class EarlyAnswerTest {
    static GatewayUnderTest env;

    @BeforeAll
    static void start() throws Exception {
        env = GatewayUnderTest.shared();
    }

    /** Sends the request while reading the answer, as a client library does; returns what was answered. */
    static String exchange(int port, byte[] request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            Thread writer = new Thread(() -> {
                try {
                    socket.getOutputStream().write(request);
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    // the server answered and closed before taking the whole body: expected here
                }
            });
            writer.start();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (IOException e) {
                // a reset after the answer: what was read stands
            }
            writer.join(10_000);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    static String statusAndBody(String answer) {
        int headEnd = answer.indexOf("\r\n\r\n");
        String status = answer.substring(0, Math.max(0, answer.indexOf("\r\n")));
        return status + " | " + (headEnd < 0 ? "" : answer.substring(headEnd + 4).replaceAll("(?m)^[0-9a-f]+\r$", ""));
    }

    @Test
    void anEarlyErrorReachesTheClientWhileItsBodyIsStillBeingSent() throws Exception {
        byte[] data = new byte[48 << 20];
        Arrays.fill(data, (byte) '1');
        for (int i = 1; i < data.length; i += 2) {
            data[i] = '\n';
        }
        String target = "/?query=" + URLEncoder.encode("INSERT INTO chgate_no_such_db.t FORMAT TSV", StandardCharsets.UTF_8)
                .replace("+", "%20");
        byte[] request = RawHttp.request("POST", target, List.of(new RawHttp.Header("Connection", "close")), data);
        String direct = exchange(env.clickhousePort, request);
        assertThat(direct).startsWith("HTTP/1.1 404");
        for (int attempt = 0; attempt < 5; attempt++) {
            String proxied = exchange(env.port(), request);
            assertThat(proxied).as("attempt " + attempt).startsWith("HTTP/1.1 404");
            assertThat(proxied).contains("chgate_no_such_db");
        }
    }
}
