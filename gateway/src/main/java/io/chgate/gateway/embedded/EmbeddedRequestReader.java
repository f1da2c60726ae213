package io.chgate.gateway.embedded;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.http.RawQueryString;
import io.chgate.sql.InsertData;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sends an INSERT whose statement is whole in the URL on as a {@link StreamedInsert} the moment its head arrives,
 * and its body after it piece by piece, so the engine reads the data as the client sends it; every other request
 * passes on to be made whole (its body holds SQL, which is read whole anyway).
 */
final class EmbeddedRequestReader extends ChannelInboundHandlerAdapter {
    private StreamedBody streaming;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (streaming != null && msg instanceof HttpContent content) {
            try {
                streaming.offer(content.content());
                if (content instanceof LastHttpContent) {
                    streaming.end();
                    streaming = null;
                }
            } finally {
                content.release();
            }
            return;
        }
        if (msg instanceof HttpRequest head && !(msg instanceof HttpContent)) {
            StreamedInsert insert = streamedInsert(ctx, head);
            if (insert != null) {
                streaming = insert.body();
                if (HttpUtil.is100ContinueExpected(head)) {
                    head.headers().remove(HttpHeaderNames.EXPECT);
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                            Unpooled.EMPTY_BUFFER));
                }
                ctx.fireChannelRead(insert);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (streaming != null) {
            streaming.fail("the client closed the connection before the request body ended");
            streaming = null;
        }
        super.channelInactive(ctx);
    }

    /** The request as a streamed INSERT, or null when it is not one. */
    private static StreamedInsert streamedInsert(ChannelHandlerContext ctx, HttpRequest head) {
        if (!head.decoderResult().isSuccess() || !head.method().equals(HttpMethod.POST) || !hasBody(head)) {
            return null;
        }
        String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null && type.regionMatches(true, 0, "multipart/", 0, 10)) {
            return null;
        }
        RawQueryString uri;
        try {
            uri = RawQueryString.parse(head.uri());
        } catch (ClickHouseError e) {
            return null;   // answered with its error once made whole
        }
        List<String> query = uri.asMap().get("query");
        if (query == null || !uri.path().equals("/")) {
            return null;
        }
        byte[] url = (query.get(0) + "\n").getBytes(StandardCharsets.UTF_8);
        InsertData.Parts insert = InsertData.parts(new String(url, StandardCharsets.ISO_8859_1));
        if (insert == null) {
            return null;
        }
        return new StreamedInsert(head, uri, url, insert, new StreamedBody(ctx.channel()));
    }

    private static boolean hasBody(HttpRequest head) {
        return HttpUtil.isTransferEncodingChunked(head) || HttpUtil.getContentLength(head, 0L) > 0;
    }
}
