package io.chgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Encodes the responses chgate writes itself (its errors, a masked error, 100 Continue); a {@link ByteBuf} is a
 * forwarded response's bytes as {@link ResponseFramer} handed them on, already HTTP, and passes untouched.
 */
final class ClientResponseEncoder extends HttpResponseEncoder {
    private boolean answeringHead;

    /** The request being answered is a HEAD: chgate's own answer to it has no body. */
    void answering(boolean head) {
        this.answeringHead = head;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) throws Exception {
        return !(msg instanceof ByteBuf) && super.acceptOutboundMessage(msg);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return answeringHead || super.isContentAlwaysEmpty(msg);
    }
}
