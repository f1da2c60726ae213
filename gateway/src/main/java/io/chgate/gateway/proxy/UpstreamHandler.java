package io.chgate.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/** The last handler of an upstream connection: hands what ClickHouse sends to the exchange using the connection. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private UpstreamListener listener;
    private boolean gone;

    void bind(UpstreamListener listener) {
        this.listener = listener;
    }

    void unbind() {
        this.listener = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (listener != null) {
            listener.onUpstreamMessage(msg);
        } else {
            // Nothing is owed on an idle pooled connection: whatever arrives means it is no longer usable.
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.onUpstreamWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        notifyGone(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        notifyGone(cause);
        ctx.close();
    }

    private void notifyGone(Throwable cause) {
        if (!gone) {
            gone = true;
            UpstreamListener l = listener;
            listener = null;
            if (l != null) {
                l.onUpstreamGone(cause);
            }
        }
    }
}
