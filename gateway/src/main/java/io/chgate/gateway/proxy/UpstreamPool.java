package io.chgate.gateway.proxy;

import io.chgate.gateway.config.UpstreamAddress;
import io.chgate.gateway.http.EngineKey;
import io.chgate.gateway.http.EngineKeyWriter;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.chgate.gateway.tls.ClientTls;
import io.chgate.gateway.tls.TlsStats;
import javax.net.ssl.SSLHandshakeException;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Keep-alive connections to ClickHouse, one idle stack per event loop: a request is served by a connection on its
 * client's own event loop, so bytes move between the two sockets without a thread hop and without locks. The most
 * recently used connection is reused first (it is the least likely to have been closed by the server).
 */
final class UpstreamPool {
    private record Idle(Channel channel, long since) {
    }

    private final Bootstrap bootstrap;
    /** TLS to the node ({@code https://}), or null. */
    private final ClientTls tls;
    private final int maxIdle;
    private final long idleTimeoutNanos;
    private final FastThreadLocal<ArrayDeque<Idle>> idle = new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<Idle> initialValue() {
            return new ArrayDeque<>();
        }
    };

    /** @param engineKey the key of the engine behind {@code address}, put on every request sent there; or null */
    UpstreamPool(Class<? extends Channel> channelType, UpstreamAddress address, Duration connectTimeout,
            int maxIdle, Duration idleTimeout, int maxResponseHeaderSize, EngineKey engineKey) {
        this(channelType, address, connectTimeout, maxIdle, idleTimeout, maxResponseHeaderSize, engineKey, null);
    }

    /** @param tls TLS to the node, for an {@code https://} address; else null */
    UpstreamPool(Class<? extends Channel> channelType, UpstreamAddress address, Duration connectTimeout,
            int maxIdle, Duration idleTimeout, int maxResponseHeaderSize, EngineKey engineKey, ClientTls tls) {
        EngineKeyWriter keyWriter = engineKey == null ? null : new EngineKeyWriter(engineKey);
        this.tls = tls;
        this.maxIdle = maxIdle;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.bootstrap = new Bootstrap()
                .channel(channelType)
                .remoteAddress(address.host(), address.port())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                // A failed write must not close the connection: ClickHouse's early answer may be waiting to be read.
                .option(ChannelOption.AUTO_CLOSE, false)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), address.host(), address.port()));
                        }
                        ch.pipeline().addLast("encoder", new HttpRequestEncoder());
                        if (keyWriter != null) {
                            ch.pipeline().addLast("engine-key", keyWriter);
                        }
                        ch.pipeline().addLast("framer", new ResponseFramer(64 * 1024 + maxResponseHeaderSize));
                        ch.pipeline().addLast("upstream", new UpstreamHandler());
                        ch.closeFuture().addListener(f -> forget(ch));
                    }
                });
    }

    /** Must be called on {@code loop}. Completes with a connection whose {@link UpstreamHandler} is unbound. */
    ChannelFuture acquire(EventLoop loop) {
        ArrayDeque<Idle> stack = idle.get();
        long now = System.nanoTime();
        for (Idle candidate = stack.pollFirst(); candidate != null; candidate = stack.pollFirst()) {
            Channel ch = candidate.channel();
            if (ch.isActive() && now - candidate.since() < idleTimeoutNanos) {
                ch.config().setAutoRead(true);
                return ch.newSucceededFuture();
            }
            ch.close();
        }
        ChannelFuture connect = bootstrap.clone(loop).connect();
        return tls == null ? connect : handshaken(connect);
    }

    /** Completes when the TLS handshake has: a refused certificate is a connection that could not be opened. */
    private static ChannelFuture handshaken(ChannelFuture connect) {
        Channel ch = connect.channel();
        ChannelPromise ready = ch.newPromise();
        connect.addListener(connected -> {
            if (!connected.isSuccess()) {
                ready.setFailure(connected.cause());
                return;
            }
            ch.pipeline().get(SslHandler.class).handshakeFuture().addListener(done -> {
                if (done.isSuccess()) {
                    TlsStats.UPSTREAM_HANDSHAKES.increment();
                    ready.setSuccess();
                } else {
                    TlsStats.UPSTREAM_HANDSHAKE_FAILURES.increment();
                    ch.close();
                    ready.setFailure(new SSLHandshakeException("the TLS handshake failed: " + rootMessage(done.cause())));
                }
            });
        });
        return ready;
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** Returns a connection whose last response was read in full and whose request was sent in full. */
    void release(Channel ch) {
        ArrayDeque<Idle> stack = idle.get();
        if (!ch.isActive() || stack.size() >= maxIdle) {
            ch.close();
            return;
        }
        ch.pipeline().get(UpstreamHandler.class).unbind();
        ch.config().setAutoRead(true);
        stack.addFirst(new Idle(ch, System.nanoTime()));
    }

    /** Runs on the connection's own event loop when it closes, idle or not. */
    private void forget(Channel ch) {
        for (Iterator<Idle> it = idle.get().iterator(); it.hasNext(); ) {
            if (it.next().channel() == ch) {
                it.remove();
                return;
            }
        }
    }
}
