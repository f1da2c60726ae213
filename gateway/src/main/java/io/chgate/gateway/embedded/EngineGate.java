package io.chgate.gateway.embedded;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.http.EngineKey;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * The door of an engine's HTTP port: a request passes only with the engine's key ({@link EngineKey}, which only
 * chgate's own upstream connections send) or, on a {@code chgate engine} node, with chgate's admin login. Anything
 * else is answered with code 516 and the connection closed; its body is dropped unread and nothing of it reaches the
 * engine. {@code /ping} is answered here, for anyone, as ClickHouse does: it runs nothing.
 */
final class EngineGate extends ChannelInboundHandlerAdapter {
    private final EngineKey key;
    private final EngineAdminLogin admin;
    /** The current request's body is dropped: it was refused, or it was a ping. */
    private boolean dropping;
    /** A request was refused: the connection is closing and nothing more on it is read. */
    private boolean refused;

    /** @param key the engine's key, or null for none (then only {@code admin} passes) */
    EngineGate(EngineKey key, EngineAdminLogin admin) {
        this.key = key;
        this.admin = admin;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest head) {
            dropping = !admitted(ctx, head);
            if (dropping) {
                ReferenceCountUtil.release(msg);
                return;
            }
            head.headers().remove(EngineKey.HEADER);
        } else if (dropping && msg instanceof HttpContent) {
            dropping = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Whether the request goes on to the engine; when not, it has been answered. */
    private boolean admitted(ChannelHandlerContext ctx, HttpRequest head) {
        if (isPing(head.uri())) {
            boolean keepAlive = HttpUtil.isKeepAlive(head);
            FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("Ok.\n", StandardCharsets.UTF_8));
            ok.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                    .set(HttpHeaderNames.CONTENT_LENGTH, ok.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, keepAlive ? "Keep-Alive" : "Close");
            var written = ctx.writeAndFlush(ok);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
            return false;
        }
        if (head.decoderResult().isSuccess()
                && (key != null && key.presentedIn(head.headers()) || admin != null && admin.matches(head.headers()))) {
            return true;
        }
        refused = true;
        ctx.writeAndFlush(new ClickHouseError(ErrorCode.AUTHENTICATION_FAILED, "chgate: this engine port takes"
                + " requests from chgate only").toResponse(ctx.alloc(), false)).addListener(ChannelFutureListener.CLOSE);
        return false;
    }

    private static boolean isPing(String uri) {
        return uri.equals("/ping") || uri.startsWith("/ping?");
    }
}
