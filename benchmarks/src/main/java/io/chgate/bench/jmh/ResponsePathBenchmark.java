package io.chgate.bench.jmh;

import io.chgate.gateway.proxy.ResponseFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One small ClickHouse response (a {@code SELECT 1} answer with the 26 server's headers) on its way back to the
 * client: read by {@link ResponseFramer} and handed on as bytes, against Netty's client decoder and server encoder,
 * which chgate used before. Both run in an {@link EmbeddedChannel}, so the pipeline's own cost is in both.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ResponsePathBenchmark {
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Date: Wed, 25 Nov 2026 09:42:20 GMT\r\n"
            + "Connection: Keep-Alive\r\n"
            + "Content-Type: text/tab-separated-values; charset=UTF-8\r\n"
            + "X-ClickHouse-Server-Display-Name: node-1\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + "X-ClickHouse-Query-Id: 7c8e3a52-6b0f-4e1e-9a43-2f5d8e1c0b7a\r\n"
            + "X-ClickHouse-Format: TabSeparated\r\n"
            + "X-ClickHouse-Timezone: UTC\r\n"
            + "Keep-Alive: timeout=10, max=9999\r\n"
            + "X-ClickHouse-Summary: {\"read_rows\":\"1\",\"read_bytes\":\"1\",\"written_rows\":\"0\",\"written_bytes\":\"0\","
            + "\"total_rows_to_read\":\"0\",\"result_rows\":\"1\",\"result_bytes\":\"256\",\"elapsed_ns\":\"512345\"}\r\n"
            + "\r\n2\r\n1\n\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private EmbeddedChannel framed;
    private EmbeddedChannel decoded;
    private EmbeddedChannel encoder;
    private ByteBuf response;

    @Setup
    public void setUp() {
        response = Unpooled.unreleasableBuffer(Unpooled.directBuffer(RESPONSE.length).writeBytes(RESPONSE));
        framed = new EmbeddedChannel(new ResponseFramer(1 << 20), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);   // where chgate writes the bytes to the client as they are
            }
        });
        encoder = new EmbeddedChannel(new HttpResponseEncoder());
        decoded = new EmbeddedChannel(new HttpClientCodec(4096, 65536, 8192, false),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        encoder.writeOutbound(msg);   // chgate's old path: every object encoded again for the client
                        for (Object out = encoder.readOutbound(); out != null; out = encoder.readOutbound()) {
                            ReferenceCountUtil.release(out);
                        }
                    }
                });
    }

    @Benchmark
    public void framerForwardsBytes() {
        framed.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER));
        for (Object out = framed.readOutbound(); out != null; out = framed.readOutbound()) {
            ReferenceCountUtil.release(out);
        }
        framed.writeInbound(response.retainedDuplicate());
    }

    @Benchmark
    public void nettyDecodesAndEncodes() {
        decoded.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER));
        for (Object out = decoded.readOutbound(); out != null; out = decoded.readOutbound()) {
            ReferenceCountUtil.release(out);
        }
        decoded.writeInbound(response.retainedDuplicate());
    }
}
