package io.chgate.gateway.proxy;

import io.chgate.gateway.observe.GatewayMetrics;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.config.HostPort;
import io.chgate.gateway.config.UpstreamAddress;
import io.chgate.gateway.config.ListenTls;
import io.chgate.gateway.http.EngineKey;
import io.chgate.gateway.tls.CertificateFiles;
import io.chgate.gateway.tls.ClientTls;
import io.chgate.gateway.tls.PeerSubject;
import io.chgate.gateway.tls.ServerTls;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import io.chgate.gateway.intercept.QueryInterceptor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listening side of chgate: accepts ClickHouse HTTP clients and proxies each to the upstream. */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    /** How often the HTTPS listener's certificate files are checked for a change. */
    private static final Duration TLS_FILES_CHECK = Duration.ofSeconds(2);

    private final EventLoopGroup group;
    /** The listening sockets: plain HTTP first when there is one, then HTTPS. */
    private final List<Channel> serverChannels;
    private final Channel tlsChannel;
    /** The HTTPS listener's certificate and key, or null. */
    private final ServerTls tls;
    private final AutoCloseable upstreamOwner;
    private String upstreamUrl;
    private java.util.concurrent.atomic.AtomicReference<Policy> policy;
    /** Who owns what on the embedded engine; the same across reloads. Null elsewhere. */
    private OwnershipStage ownership;
    private Upstreams upstreams;
    private EngineKey engineKey;
    private io.chgate.gateway.cache.ResponseCaches caches;
    /** What runs beside the gateway and closes with it. */
    private final List<AutoCloseable> companions = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Puts a new configuration's interceptor and users in force: requests that start from now on are decided by
     * them; requests in flight finish under the ones they started with.
     */
    public void reload(GatewayConfig config, QueryInterceptor interceptor) {
        policy.set(new Policy(interceptor, io.chgate.gateway.auth.GatewayUsers.fromConfig(config),
                SettingsStage.DEFAULT, ownership,
                io.chgate.gateway.http.AllowedNetworks.of(config.allowedNetworks)));
        caches.configure(config);
        if (tls != null && config.listenTls.enabled()) {
            try {
                tls.reload(certificateFiles(config.listenTls));
            } catch (IllegalArgumentException e) {
                log.warn("listen_tls: the certificate files cannot be used, the previous certificate keeps being"
                        + " served: {}", e.getMessage());
            }
        }
    }

    /**
     * On the embedded engine, which runs every statement as one user, chgate keeps who owns what itself, in a file
     * beside the engine's data; elsewhere each gateway user's own ClickHouse login decides (null).
     */
    private static OwnershipStage ownershipStage(GatewayConfig config) {
        if (!config.upstream.embedded.selected(config.upstream)) {
            return null;
        }
        return new OwnershipStage(new io.chgate.gateway.ownership.OwnershipPolicy(
                io.chgate.gateway.ownership.ObjectOwners.open(
                        Path.of(config.upstream.embedded.dataDir).resolve("chgate-owners.json"))));
    }

    /** The ClickHouse HTTP address requests go to (the embedded engine's own front when embedded). */
    public String upstreamUrl() {
        return upstreamUrl;
    }

    private GatewayServer(EventLoopGroup group, List<Channel> serverChannels, Channel tlsChannel, ServerTls tls,
            AutoCloseable upstreamOwner) {
        this.group = group;
        this.serverChannels = List.copyOf(serverChannels);
        this.tlsChannel = tlsChannel;
        this.tls = tls;
        this.upstreamOwner = upstreamOwner;
    }

    /** Counts the queue time of every gateway's admission queues: one daemon thread that only schedules. */
    private static final java.util.concurrent.ScheduledExecutorService ADMISSION_TIMER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chgate-admission-timer");
                t.setDaemon(true);
                return t;
            });

    public static GatewayServer start(GatewayConfig config, QueryInterceptor interceptor) throws InterruptedException {
        return start(config, interceptor, new GatewayMetrics());
    }

    /**
     * Starts serving, forwarding to the configured ClickHouse URL or nodes; {@code metrics} counts what it serves
     * (for the admin listener's /metrics). An embedded upstream is started by its owner, which then calls
     * {@link #start(GatewayConfig, String, AutoCloseable, QueryInterceptor, GatewayMetrics)}.
     */
    public static GatewayServer start(GatewayConfig config, QueryInterceptor interceptor, GatewayMetrics metrics)
            throws InterruptedException {
        if (config.upstream.embedded.selected(config.upstream)) {
            throw new IllegalArgumentException("the embedded upstream must be started first and its address given");
        }
        return start(config, null, null, null, interceptor, metrics);
    }

    /**
     * Starts serving, forwarding to {@code upstreamUrl} (the embedded engine's HTTP front; null: the configured
     * upstream), and closes {@code upstreamOwner} (what serves that address; may be null) when it closes.
     */
    public static GatewayServer start(GatewayConfig config, String upstreamUrl, EngineKey engineKey,
            AutoCloseable upstreamOwner, QueryInterceptor interceptor, GatewayMetrics metrics)
            throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        int threads = config.threads > 0 ? config.threads : Runtime.getRuntime().availableProcessors();
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends Channel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;

        OwnershipStage ownership = ownershipStage(config);
        boolean given = upstreamUrl != null;
        if (!given) {
            upstreamUrl = config.upstream.url;
            engineKey = engineKey(config);
        }
        List<String> urls = given || config.upstream.nodes.isEmpty() ? List.of(upstreamUrl) : config.upstream.nodes;
        List<Upstreams.Node> nodes = new java.util.ArrayList<>();
        ClientTls upstreamTls = null;
        for (String url : urls) {
            UpstreamAddress address = UpstreamAddress.parse(url);
            if (address.tls() && upstreamTls == null) {
                upstreamTls = clientTls(config.upstream.tls);
            }
            nodes.add(new Upstreams.Node(address, new UpstreamPool(clientType, address, config.upstream.connectTimeout,
                    config.upstream.poolMaxIdle, config.upstream.poolIdleTimeout,
                    config.limits.maxResponseHeaderSize.toIntExact(), engineKey, address.tls() ? upstreamTls : null)));
        }
        Upstreams upstreams = new Upstreams(nodes, "round_robin".equals(config.upstream.balance)
                ? Upstreams.Balance.ROUND_ROBIN : Upstreams.Balance.LEAST_LOADED, config.upstream.healthCheckInterval,
                upstreamTls == null ? null : upstreamTls.healthCheckContext());
        int maxQuery = config.limits.maxQuerySize.toIntExact();
        java.util.concurrent.atomic.AtomicReference<Policy> policy = new java.util.concurrent.atomic.AtomicReference<>(
                new Policy(interceptor, io.chgate.gateway.auth.GatewayUsers.fromConfig(config),
                        SettingsStage.DEFAULT, ownership,
                io.chgate.gateway.http.AllowedNetworks.of(config.allowedNetworks)));
        ProxySettings settings = new ProxySettings(upstreams, policy, maxQuery,
                config.upstream.idleTimeout, config.upstream.requestTimeout, config.limits.requestHeaderTimeout,
                metrics,
                config.accessLog ? new io.chgate.gateway.observe.AccessLog(config.accessLogSql) : null,
                UserAdmission.fromConfig(config, ADMISSION_TIMER, metrics),
                AdminKill.of(config, urls, given || engineKey != null),
                io.chgate.gateway.cache.ResponseCaches.fromConfig(config, metrics));
        // A query in the URL is percent-encoded: up to three bytes per byte of SQL, plus the other parameters.
        int maxInitialLine = Math.max(64 * 1024, maxQuery * 3 + 64 * 1024);
        int maxHeaders = config.limits.maxRequestHeaderSize.toIntExact();

        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
        int maxConnections = config.limits.maxConnections;
        ServerTls tls = null;
        List<Channel> channels = new java.util.ArrayList<>();
        try {
            tls = config.listenTls.enabled() ? ServerTls.load(certificateFiles(config.listenTls)) : null;
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(serverType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024));
            if (config.listen != null && !config.listen.isBlank()) {
                HostPort listen = HostPort.parse(config.listen);
                channels.add(bootstrap.clone().childHandler(new ClientInitializer(null, open, maxConnections,
                        maxInitialLine, maxHeaders, settings)).bind(listen.host(), listen.port()).sync().channel());
            }
            Channel tlsChannel = null;
            if (tls != null) {
                HostPort listen = HostPort.parse(config.listenTls.address);
                tlsChannel = bootstrap.clone().childHandler(new ClientInitializer(tls, open, maxConnections,
                        maxInitialLine, maxHeaders, settings)).bind(listen.host(), listen.port()).sync().channel();
                channels.add(tlsChannel);
                tls.watch(TLS_FILES_CHECK);
            }
            List<String> listening = new java.util.ArrayList<>();
            for (Channel c : channels) {
                listening.add((c == tlsChannel ? "https://" : "http://")
                        + c.localAddress().toString().replaceFirst("^/", ""));
            }
            log.info("chgate listening on {} (upstream {}, {} transport)", String.join(" and ", listening),
                    given ? upstreamUrl + ", the embedded ClickHouse engine" : config.upstream.url,
                    epoll ? "epoll" : "nio");
            GatewayServer server = new GatewayServer(group, channels, tlsChannel, tls, upstreamOwner);
            server.upstreamUrl = upstreamUrl;
            server.engineKey = engineKey;
            server.upstreams = upstreams;
            server.policy = policy;
            server.caches = settings.caches();
            server.ownership = ownership;
            return server;
        } catch (InterruptedException | RuntimeException e) {
            channels.forEach(Channel::close);
            if (tls != null) {
                tls.close();
            }
            upstreams.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static ClientTls clientTls(io.chgate.gateway.config.UpstreamTls tls) {
        return ClientTls.create(tls.caFile.isBlank() ? null : Path.of(tls.caFile), tls.serverName,
                tls.insecureSkipVerify);
    }

    private static CertificateFiles certificateFiles(ListenTls tls) {
        return CertificateFiles.of(tls.certFile, tls.keyFile, tls.clientCaFile);
    }

    /** Each accepted connection's pipeline; with TLS, the context in force when it is accepted. */
    private static final class ClientInitializer extends ChannelInitializer<SocketChannel> {
        private final ServerTls tls;
        private final java.util.concurrent.atomic.AtomicInteger open;
        private final int maxConnections;
        private final int maxInitialLine;
        private final int maxHeaders;
        private final ProxySettings settings;

        ClientInitializer(ServerTls tls, java.util.concurrent.atomic.AtomicInteger open, int maxConnections,
                int maxInitialLine, int maxHeaders, ProxySettings settings) {
            this.tls = tls;
            this.open = open;
            this.maxConnections = maxConnections;
            this.maxInitialLine = maxInitialLine;
            this.maxHeaders = maxHeaders;
            this.settings = settings;
        }

        @Override
        protected void initChannel(SocketChannel ch) {
            if (open.incrementAndGet() > maxConnections) {
                open.decrementAndGet();
                ch.close();
                return;
            }
            ch.closeFuture().addListener(f -> open.decrementAndGet());
            if (tls != null) {
                ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                ch.pipeline().addLast("peer-subject", PeerSubject.RECORDER);
            }
            ch.pipeline().addLast("decoder", new HttpRequestDecoder(maxInitialLine, maxHeaders,
                    ProxyLimits.CHUNK_SIZE));
            ch.pipeline().addLast("encoder", new ClientResponseEncoder());
            ch.pipeline().addLast("proxy", new ClientHandler(settings));
        }
    }

    /** The key of {@code chgate engine} nodes ({@code upstream.engine_key_file}), or null. */
    private static EngineKey engineKey(GatewayConfig config) {
        if (config.upstream.engineKeyFile.isBlank()) {
            return null;
        }
        try {
            return EngineKey.fromFile(Path.of(config.upstream.engineKeyFile));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("upstream.engine_key_file: " + e.getMessage(), e);
        }
    }

    /**
     * The key every request to the upstream carries (the embedded engine's own, or the nodes'), or null. For chgate's
     * own in-process callers (tests reaching the engine's port); never to be logged or sent anywhere else.
     */
    public EngineKey upstreamKey() {
        return engineKey;
    }
    /** The plain HTTP listener's address; the HTTPS one's when it serves alone. */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannels.get(0).localAddress();
    }

    /** The HTTPS listener's address, or null without one. */
    public InetSocketAddress tlsAddress() {
        return tlsChannel == null ? null : (InetSocketAddress) tlsChannel.localAddress();
    }

    /** The HTTPS listener's certificate and key, or null without one. */
    public ServerTls tls() {
        return tls;
    }

    public void awaitClose() throws InterruptedException {
        for (Channel channel : serverChannels) {
            channel.closeFuture().await();
        }
    }

    /** The ClickHouse nodes requests go to. */
    public Upstreams upstreams() {
        return upstreams;
    }

    /** The response caches requests are answered from (the same across reloads). */
    public io.chgate.gateway.cache.ResponseCaches caches() {
        return caches;
    }

    /** Closes {@code companion} (something that runs beside the gateway) when the gateway closes. */
    public void closeWith(AutoCloseable companion) {
        companions.add(companion);
    }

    @Override
    public void close() {
        for (AutoCloseable companion : companions) {
            try {
                companion.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", companion.getClass().getSimpleName(), e.toString());
            }
        }
        serverChannels.forEach(channel -> channel.close().syncUninterruptibly());
        if (tls != null) {
            tls.close();
        }
        upstreams.close();
        if (upstreamOwner != null) {
            try {
                upstreamOwner.close();
            } catch (Exception e) {
                log.warn("closing the embedded engine's listener failed: {}", e.toString());
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
