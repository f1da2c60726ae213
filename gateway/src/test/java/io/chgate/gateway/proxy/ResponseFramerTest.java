package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.testkit.LocalStack;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The framer against Netty's own HTTP decoder, which chgate used before: on generated responses split at random
 * points and on responses recorded from the stack's ClickHouse server, both must find the same responses, statuses
 * and bodies, and the framer must hand on exactly the bytes that came (interim 1xx answers aside).
 */
class ResponseFramerTest {

    /** One response as both readers see it. */
    record Seen(int status, boolean keepAlive, byte[] body) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Seen s && s.status == status && s.keepAlive == keepAlive && Arrays.equals(s.body, body);
        }

        @Override
        public int hashCode() {
            return status;
        }

        @Override
        public String toString() {
            return status + (keepAlive ? " keep-alive " : " close ") + body.length + " bytes";
        }
    }

    record Framed(List<Seen> responses, byte[] raw) {
    }

    /** Runs bytes through the framer in the given pieces; decoded asks for every body as payload. */
    static Framed frame(byte[] bytes, int[] cuts, boolean decoded, boolean headRequest) {
        ResponseFramer framer = new ResponseFramer(64 * 1024);
        List<Seen> seen = new ArrayList<>();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] status = new int[1];
        boolean[] keepAlive = new boolean[1];
        EmbeddedChannel channel = new EmbeddedChannel(framer, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ResponseHead head) {
                    status[0] = head.status();
                    keepAlive[0] = head.keepAlive();
                    body.reset();
                    if (decoded) {
                        framer.decodeBody();
                    }
                } else if (msg instanceof ByteBuf buf) {
                    byte[] b = ByteBufUtil.getBytes(buf);
                    (decoded ? body : raw).write(b, 0, b.length);
                    buf.release();
                } else if (msg instanceof ResponseFramer.End end) {
                    if (decoded) {
                        assertThat(end.bodyBytes()).isEqualTo(body.size());
                    }
                    seen.add(new Seen(status[0], keepAlive[0], body.toByteArray()));
                }
            }
        });
        if (headRequest) {
            channel.writeOutbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/"));
            ReferenceCountUtil.release(channel.readOutbound());
        }
        feed(channel, bytes, cuts);
        channel.finish();
        return new Framed(seen, raw.toByteArray());
    }

    /** The same bytes through Netty's client codec: the responses it finds, with their bodies. */
    static List<Seen> nettyReads(byte[] bytes, int[] cuts, boolean headRequest) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpClientCodec(4096, 64 * 1024, 8192, false));
        channel.writeOutbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1,
                headRequest ? HttpMethod.HEAD : HttpMethod.GET, "/"));
        ReferenceCountUtil.release(channel.readOutbound());
        feed(channel, bytes, cuts);
        channel.finish();
        List<Seen> seen = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpResponse head = null;
        for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
            if (msg instanceof HttpResponse response) {
                assertThat(response.decoderResult().isSuccess()).as("Netty read the head").isTrue();
                if (response.status().code() >= 200) {
                    head = response;
                    body.reset();
                }
            }
            if (msg instanceof HttpContent content && head != null) {
                byte[] b = ByteBufUtil.getBytes(content.content());
                body.write(b, 0, b.length);
            }
            if (msg instanceof LastHttpContent last) {
                assertThat(last.decoderResult().isSuccess()).as("Netty read the body whole").isTrue();
            }
            if (msg instanceof LastHttpContent && head != null) {
                seen.add(new Seen(head.status().code(), false, body.toByteArray()));
                head = null;
            }
            ReferenceCountUtil.release(msg);
        }
        return seen;
    }

    private static void feed(EmbeddedChannel channel, byte[] bytes, int[] cuts) {
        int from = 0;
        for (int cut : cuts) {
            if (cut > from && cut < bytes.length) {
                channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, cut - from));
                from = cut;
            }
        }
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, bytes.length - from));
    }

    // ---- generated responses ----

    /** A response as a server might write it, with what a reader must conclude from it. */
    record Response(String text, byte[] body, int status, boolean keepAlive, boolean interim) {
    }

    @Provide
    Arbitrary<List<Response>> exchanges() {
        Arbitrary<Response> one = Combinators.combine(
                Arbitraries.of(200, 204, 304, 400, 404, 500, 502),
                Arbitraries.of("length", "chunked", "length-and-chunked", "none"),
                Arbitraries.of("", "close", "keep-alive", "Keep-Alive", "TE, close"),
                Arbitraries.of(true, false),
                Arbitraries.bytes().list().ofMaxSize(300),
                Arbitraries.longs(),
                Arbitraries.of(true, false)).as(ResponseFramerTest::response);
        return one.list().ofMinSize(1).ofMaxSize(4).filter(list -> {
            for (int i = 0; i < list.size() - 1; i++) {
                if (!list.get(i).keepAlive()) {
                    return false;   // nothing follows a response that ends the connection
                }
            }
            return true;
        });
    }

    static Response response(int status, String framing, String connection, boolean http11, List<Byte> bodyList,
            long seed, boolean interim) {
        Random random = new Random(seed);
        byte[] body = new byte[bodyList.size()];
        for (int i = 0; i < body.length; i++) {
            body[i] = bodyList.get(i);
        }
        boolean noBody = status == 204 || status == 304;
        if (noBody) {
            body = new byte[0];
        }
        StringBuilder head = new StringBuilder();
        if (interim && http11) {
            head.append("HTTP/1.1 100 Continue\r\n\r\n");
        }
        head.append(http11 ? "HTTP/1.1 " : "HTTP/1.0 ").append(status).append(" Reason Phrase\r\n");
        head.append(random.nextBoolean() ? "X-ClickHouse-Summary" : "x-clickhouse-summary")
                .append(": {\"read_rows\":\"1\",\"read_bytes\":\"1\"}\r\n");
        if (!connection.isEmpty()) {
            head.append(random.nextBoolean() ? "Connection: " : "connection:").append(connection).append("\r\n");
        }
        String bodyText;
        boolean untilClose = false;
        switch (framing) {
            case "length" -> {
                String name = random.nextBoolean() ? "Content-Length" : "CONTENT-LENGTH";
                head.append(name).append(": ").append(body.length).append("\r\n");
                bodyText = latin1(body);
            }
            case "chunked", "length-and-chunked" -> {
                if (framing.equals("length-and-chunked")) {
                    head.append("Content-Length: ").append(body.length + 1000).append("\r\n");
                }
                head.append(random.nextBoolean() ? "Transfer-Encoding: chunked\r\n" : "transfer-encoding: Chunked\r\n");
                StringBuilder chunks = new StringBuilder();
                int at = 0;
                while (at < body.length) {
                    int n = Math.min(body.length - at, 1 + random.nextInt(64));
                    chunks.append(Integer.toHexString(n)).append(random.nextInt(3) == 0 ? ";ext=1" : "").append("\r\n")
                            .append(latin1(Arrays.copyOfRange(body, at, at + n))).append("\r\n");
                    at += n;
                }
                chunks.append("0\r\n");
                if (random.nextInt(3) == 0) {
                    chunks.append("X-Trailer: yes\r\n");
                }
                chunks.append("\r\n");
                bodyText = noBody ? "" : chunks.toString();
            }
            default -> {
                bodyText = latin1(body);
                untilClose = !noBody;
            }
        }
        head.append("\r\n");
        boolean keepAlive = (http11 ? !connection.contains("close") : connection.equalsIgnoreCase("keep-alive"))
                && !untilClose;
        return new Response(head + bodyText, body, status, keepAlive, interim && http11);
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Property(tries = 400)
    void findsTheResponsesNettyFindsAndHandsOnEveryByte(@ForAll("exchanges") List<Response> responses,
            @ForAll long cutSeed) {
        StringBuilder all = new StringBuilder();
        StringBuilder withoutInterim = new StringBuilder();
        List<Seen> expected = new ArrayList<>();
        for (Response r : responses) {
            all.append(r.text());
            withoutInterim.append(r.interim() ? r.text().substring(r.text().indexOf("\r\n\r\n") + 4) : r.text());
            expected.add(new Seen(r.status(), r.keepAlive(), r.body()));
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.ISO_8859_1);
        int[] cuts = new Random(cutSeed).ints(6, 0, bytes.length + 1).sorted().toArray();

        Framed raw = frame(bytes, cuts, false, false);
        assertThat(raw.raw()).as("bytes handed on").isEqualTo(withoutInterim.toString().getBytes(StandardCharsets.ISO_8859_1));
        assertThat(raw.responses()).extracting(Seen::status).containsExactlyElementsOf(
                expected.stream().map(Seen::status).toList());
        Framed decoded = frame(bytes, cuts, true, false);
        assertThat(decoded.responses()).containsExactlyElementsOf(expected);
        assertThat(decoded.responses().stream().map(s -> new Seen(s.status(), false, s.body())).toList())
                .as("what Netty's decoder reads").isEqualTo(nettyReads(bytes, cuts, false));
    }

    @Test
    void aHeadRequestsAnswerEndsWithItsHeadWhateverItsHeadersSay() {
        byte[] bytes = ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        Framed framed = frame(bytes, new int[] {17}, false, true);
        assertThat(framed.responses()).containsExactly(new Seen(200, true, new byte[0]));
        assertThat(framed.raw()).isEqualTo(bytes);
        assertThat(nettyReads(bytes, new int[] {17}, true)).hasSize(1);
    }

    @Test
    void aBodyUntilTheConnectionClosesEndsWithIt() {
        byte[] bytes = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabc".getBytes(StandardCharsets.ISO_8859_1);
        Framed framed = frame(bytes, new int[] {40}, true, false);
        assertThat(framed.responses()).containsExactly(new Seen(200, false, "abc".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void refusesWhatIsNotAResponseItCanFrame() {
        for (String bad : List.of(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nab",
                "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nab",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                "HTTP/2 200\r\n\r\n",
                "SSH-2.0-OpenSSH_9\r\n\r\n",
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")) {
            List<Throwable> errors = new ArrayList<>();
            EmbeddedChannel channel = new EmbeddedChannel(new ResponseFramer(1024), new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    errors.add(cause);
                }
            });
            channel.writeInbound(Unpooled.copiedBuffer(bad, StandardCharsets.ISO_8859_1));
            channel.finish();
            assertThat(errors).as(bad).singleElement().isInstanceOf(CorruptedFrameException.class);
        }
    }

    @Test
    void aHeadLongerThanTheLimitIsRefusedWithoutWaitingForItsEnd() {
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ResponseFramer(1024), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
        channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n", StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 40 && errors.isEmpty(); i++) {
            channel.writeInbound(Unpooled.copiedBuffer("X-ClickHouse-Progress: {\"read_rows\":\"1\"}\r\n",
                    StandardCharsets.ISO_8859_1));
        }
        assertThat(errors).singleElement().extracting(Throwable::getMessage).asString().contains("longer than 1024");
        channel.finishAndReleaseAll();
    }

    // ---- responses recorded from the real server ----

    @Test
    void readsWhatTheStacksClickHouseWritesAsNettyDoes() throws Exception {
        LocalStack stack = LocalStack.get();
        URI server = URI.create(stack.clickhouseHttpUrl());
        String[] requests = {
            "GET /?query=SELECT%201 HTTP/1.1",
            "GET /?query=SELECT%20number%2C%20toString(number)%20FROM%20system.numbers%20LIMIT%20200000 HTTP/1.1",
            "GET /?query=SELECT%20*%20FROM%20no_such_table_here HTTP/1.1",
            "GET /?query=SELECT%20sleep(0.3)%2C%201&send_progress_in_http_headers=1&wait_end_of_query=1"
                    + "&http_headers_progress_interval_ms=10 HTTP/1.1",
            "GET /?query=SELECT%20number%20FROM%20system.numbers%20LIMIT%2050000&enable_http_compression=1 HTTP/1.1\r\n"
                    + "Accept-Encoding: gzip",
            "GET /ping HTTP/1.1",
            "POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nSELECT 42",
        };
        for (String request : requests) {
            for (boolean keepAlive : new boolean[] {true, false}) {
                byte[] bytes = exchange(server, request, keepAlive);
                Random random = new Random(request.hashCode());
                for (int round = 0; round < 5; round++) {
                    int[] cuts = random.ints(round * 3, 0, bytes.length + 1).sorted().toArray();
                    Framed raw = frame(bytes, cuts, false, false);
                    assertThat(raw.raw()).as(request).isEqualTo(bytes);
                    Framed decoded = frame(bytes, cuts, true, false);
                    List<Seen> netty = nettyReads(bytes, cuts, false);
                    assertThat(netty).as(request).hasSize(1);
                    assertThat(decoded.responses().stream().map(s -> new Seen(s.status(), false, s.body())).toList())
                            .as(request).isEqualTo(netty);
                    assertThat(decoded.responses().get(0).keepAlive()).as(request).isEqualTo(keepAlive);
                }
            }
        }
        byte[] head = exchange(server, "HEAD /?query=SELECT%201 HTTP/1.1", false);
        assertThat(frame(head, new int[0], false, true).responses()).hasSize(1);
        assertThat(nettyReads(head, new int[0], true)).hasSize(1);
    }

    /** Sends one request on a fresh connection and records every byte until the response is known to be whole. */
    private static byte[] exchange(URI server, String request, boolean keepAlive) throws Exception {
        String[] parts = request.split("\r\n\r\n", 2);
        String text = parts[0] + "\r\nHost: " + server.getHost() + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n") + "\r\n" + (parts.length > 1 ? parts[1] : "");
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[65536];
            // A kept-alive connection stays open: the framer (checked against Netty right after) says when it is whole.
            while (!keepAlive || frame(got.toByteArray(), new int[0], false, request.startsWith("HEAD")).responses().isEmpty()) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                got.write(buffer, 0, n);
            }
            return got.toByteArray();
        }
    }
}
