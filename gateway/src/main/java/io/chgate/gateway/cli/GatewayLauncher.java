package io.chgate.gateway.cli;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.gateway.catalog.ObjectCatalog;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.embedded.EmbeddedUpstream;
import io.chgate.gateway.intercept.QueryInterceptor;
import io.chgate.gateway.observe.GatewayMetrics;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.vault.AdminChannel;
import io.chgate.vault.EngineAdminChannel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Starts chgate as its configuration describes it: with {@code upstream: embedded}, the in-process engine's HTTP
 * front first, then the listener, handed that front's address; otherwise the listener alone.
 */
public final class GatewayLauncher {
    /** How long start waits for the first read of the upstream's views; a slower one goes on in the background. */
    private static final Duration FIRST_CATALOG_READ = Duration.ofSeconds(5);

    private GatewayLauncher() {
    }

    public static GatewayServer start(GatewayConfig config, QueryInterceptor interceptor) throws InterruptedException {
        return start(config, interceptor, new GatewayMetrics());
    }

    public static GatewayServer start(GatewayConfig config, QueryInterceptor interceptor, GatewayMetrics metrics)
            throws InterruptedException {
        return start(config, interceptor, metrics, null);
    }

    /**
     * Starts chgate and, with caches configured, the reading of the upstream's own views through {@code admin}
     * (null: none for a server upstream; the engine itself when embedded), which closes with the gateway. Start
     * waits for that first read a short while at most.
     */
    public static GatewayServer start(GatewayConfig config, QueryInterceptor interceptor, GatewayMetrics metrics,
            AdminChannel admin) throws InterruptedException {
        GatewayServer server = serve(config, interceptor, metrics);
        boolean embedded = config.upstream.embedded.selected(config.upstream);
        ObjectCatalog catalog = ObjectCatalog.start(config, server.caches(),
                admin == null && embedded ? new EngineAdminChannel(embeddedEngine(config)) : admin);
        if (catalog != null) {
            server.closeWith(catalog);
            try {
                catalog.awaitFirstRead(FIRST_CATALOG_READ);
            } catch (InterruptedException e) {
                server.close();
                throw e;
            }
        }
        return server;
    }

    private static GatewayServer serve(GatewayConfig config, QueryInterceptor interceptor, GatewayMetrics metrics)
            throws InterruptedException {
        if (!config.upstream.embedded.selected(config.upstream)) {
            return GatewayServer.start(config, interceptor, metrics);
        }
        EmbeddedFront front = EmbeddedFront.start(config);
        try {
            return GatewayServer.start(config, front.upstream.url(), front.upstream.key(), front, interceptor, metrics);
        } catch (InterruptedException | RuntimeException e) {
            front.close();
            throw e;
        }
    }

    /** The process's in-process engine as the configuration describes it (opened on first call). */
    public static EmbeddedClickHouse embeddedEngine(GatewayConfig config) {
        GatewayConfig.Embedded e = config.upstream.embedded;
        return EmbeddedClickHouse.shared(EmbeddedClickHouse.findLibrary(e.library.isBlank() ? null : Path.of(e.library)),
                Path.of(e.dataDir), e.connections, e.maxMemory.bytes());
    }

    /** The engine's HTTP front on its own event loops (as many as the listener's), closed with the listener. */
    private record EmbeddedFront(EventLoopGroup group, EmbeddedUpstream upstream) implements AutoCloseable {
        static EmbeddedFront start(GatewayConfig config) throws InterruptedException {
            boolean epoll = Epoll.isAvailable();
            int threads = config.threads > 0 ? config.threads : Runtime.getRuntime().availableProcessors();
            EventLoopGroup group = epoll ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
            Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
            GatewayConfig.Embedded e = config.upstream.embedded;
            try {
                return new EmbeddedFront(group, EmbeddedUpstream.start(group, type, embeddedEngine(config),
                        e.connections, e.maxRequestBody.toIntExact(), e.queueTimeout));
            } catch (InterruptedException | RuntimeException failed) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw failed;
            }
        }

        @Override
        public void close() {
            upstream.close();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
