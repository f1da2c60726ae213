package io.chgate.gateway.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. Requests are served one at a time (pipelined ones wait in a backlog); each is an
 * {@link Exchange}, which takes it through the stages and streams both ways between the client and a pooled
 * upstream connection on the same event loop. This handler only hands messages to the exchange in order, and keeps
 * the connection's one timer.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter implements Exchange.Connection {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

    /** At most this many pipelined messages wait while a request is served; then the socket is not read. */
    private static final int MAX_BACKLOG = 64;

    private final ProxySettings settings;
    private ChannelHandlerContext ctx;
    private ClientResponseEncoder encoder;
    private Exchange exchange;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private ScheduledFuture<?> deadlines;
    /** When the connection last had no request in flight: a request head must arrive within the header timeout. */
    private long waitingSinceNanos;

    ClientHandler(ProxySettings settings) {
        this.settings = settings;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.encoder = ctx.pipeline().get(ClientResponseEncoder.class);
    }

    /**
     * One timer per connection, not per request: scheduling and cancelling two timers for every request costs more
     * than a check that looks at the current exchange's deadlines now and then.
     */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long idle = settings.idleTimeout().toNanos();
        long request = settings.requestTimeout().toNanos();
        long every = Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(idle / 4,
                request > 0 ? request / 4 : Long.MAX_VALUE));
        every = Math.min(every, TimeUnit.SECONDS.toNanos(1));
        long header = settings.headerTimeout().toNanos();
        every = Math.min(every, Math.max(TimeUnit.MILLISECONDS.toNanos(50), header / 4));
        waitingSinceNanos = System.nanoTime();
        settings.metrics().connectionOpened();
        deadlines = ctx.executor().scheduleAtFixedRate(() -> {
            if (exchange != null) {
                exchange.checkDeadlines();
            } else if (System.nanoTime() - waitingSinceNanos > header) {
                ctx.close();   // idle too long, or a request head that never completes
            }
        }, every, every, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange != null && exchange.requestReceived() || !backlog.isEmpty()) {
            backlog.add(msg);
            if (backlog.size() >= MAX_BACKLOG) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            exchange = new Exchange(settings, ctx, this, request);
            encoder.answering(HttpMethod.HEAD.equals(request.method()));
            exchange.start();
            if (msg instanceof HttpContent content && exchange != null) {
                exchange.onClientContent(content);
            } else if (msg instanceof HttpContent content) {
                content.release();
            }
        } else if (msg instanceof HttpContent content && exchange != null) {
            exchange.onClientContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.flushUpstream();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadlines != null) {
            deadlines.cancel(false);
            settings.metrics().connectionClosed();
        }
        if (exchange != null) {
            exchange.onClientGone();
        }
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    @Override
    public boolean backlogFull() {
        return backlog.size() >= MAX_BACKLOG;
    }

    @Override
    public void exchangeFinished(boolean keepAlive) {
        exchange = null;
        waitingSinceNanos = System.nanoTime();
        if (!keepAlive) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        while (!backlog.isEmpty() && (exchange == null || !exchange.requestReceived())) {
            dispatch(backlog.poll());
        }
        if (exchange == null) {
            ctx.channel().config().setAutoRead(true);
        } else {
            exchange.updateClientReading();
        }
    }
}
