package io.chgate.gateway.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;

/**
 * On an upstream connection to an engine, just ahead of the request encoder on the way out: puts the engine's key
 * on every request head that leaves, replacing any value a client sent under that name. The head is copied first: the key never
 * lives in the request object the proxy keeps (and may log or reuse), only in what is encoded onto the socket.
 */
@ChannelHandler.Sharable
public final class EngineKeyWriter extends ChannelOutboundHandlerAdapter {
    private final EngineKey key;

    public EngineKeyWriter(EngineKey key) {
        this.key = key;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof HttpRequest request ? keyed(request) : msg, promise);
    }

    private HttpRequest keyed(HttpRequest request) {
        HttpRequest copy;
        if (request instanceof FullHttpRequest full) {
            copy = full.replace(full.content());   // shares the body, copies the headers
        } else {
            copy = new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                    request.headers().copy());
        }
        key.addTo(copy.headers());
        return copy;
    }
}
