package io.chgate.gateway.embedded;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.gateway.http.EngineKey;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The in-process ClickHouse 26 engine behind ClickHouse's HTTP interface, on an ephemeral loopback port. The
 * gateway forwards to it exactly as to a ClickHouse server — same proxy, same interception — and TCP gives the
 * streamed results real backpressure (Netty's in-VM transport would queue them without bound). Loopback is open to
 * every process of the machine, so the port serves only requests carrying its {@link EngineKey} ({@link EngineGate}).
 */
public final class EmbeddedUpstream implements AutoCloseable {
    private final Channel channel;
    private final ExecutorService workers;
    private final EmbeddedSessions sessions;
    private final EngineKey key;

    private EmbeddedUpstream(Channel channel, ExecutorService workers, EmbeddedSessions sessions, EngineKey key) {
        this.channel = channel;
        this.workers = workers;
        this.sessions = sessions;
        this.key = key;
    }

    /**
     * @param maxRequestBody the largest request body read whole: one holding SQL (an INSERT whose statement is in
     *     the URL streams its data to the engine whatever its size)
     * @param queueTimeout longest a statement waits for a free engine connection
     */
    public static EmbeddedUpstream start(EventLoopGroup group, Class<? extends ServerChannel> channelType,
            EmbeddedClickHouse engine, int threads, int maxRequestBody, java.time.Duration queueTimeout)
            throws InterruptedException {
        return start(group, channelType, engine, threads, maxRequestBody, queueTimeout, 0, EngineKey.random(), null);
    }

    /**
     * The same on a given loopback port ({@code chgate engine}; 0: any free one), serving requests that carry
     * {@code key} (null: none do) and, when given, chgate's {@code admin} login, whose statements also pass the
     * engine's second wall. Nothing else is served.
     */
    public static EmbeddedUpstream start(EventLoopGroup group, Class<? extends ServerChannel> channelType,
            EmbeddedClickHouse engine, int threads, int maxRequestBody, java.time.Duration queueTimeout, int port,
            EngineKey key, EngineAdminLogin admin) throws InterruptedException {
        AtomicCounter counter = new AtomicCounter();
        ExecutorService workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "chgate-engine-" + counter.next());
                    t.setDaemon(true);
                    return t;
                });
        EmbeddedSessions sessions = new EmbeddedSessions(engine);
        Channel channel = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(1 << 20, 64 * 1024, 256 * 1024));
                        ch.pipeline().addLast(new EngineGate(key, admin));
                        ch.pipeline().addLast(new EmbeddedRequestReader());
                        ch.pipeline().addLast(new HttpObjectAggregator(maxRequestBody));
                        ch.pipeline().addLast(new EmbeddedQueryHandler(engine, workers, queueTimeout, sessions, admin));
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        return new EmbeddedUpstream(channel, workers, sessions, key);
    }

    /** What the gateway's upstream connections must send for this port to serve them; null when nothing may. */
    public EngineKey key() {
        return key;
    }

    public String url() {
        return "http://127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        workers.shutdownNow();
        sessions.close();
    }

    private static final class AtomicCounter {
        private final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

        int next() {
            return n.incrementAndGet();
        }
    }
}
