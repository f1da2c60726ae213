package io.chgate.gateway.cli;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.gateway.embedded.EngineAdminLogin;
import io.chgate.gateway.embedded.EmbeddedUpstream;
import io.chgate.gateway.http.EngineKey;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The ClickHouse 26 engine's HTTP interface alone, with no gateway in front: a modern ClickHouse node for
 * {@code upstream.nodes}, as the cluster tests run it. It listens on loopback only and serves two callers: chgate's
 * admin login (its named collections) and requests carrying the node's key, which only chgate gateways configured
 * with the same {@code upstream.engine_key_file} send (their statements still meet the engine's second wall).
 * Every other request is refused with code 516; clients reach it through a chgate, never directly.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "Serve the embedded ClickHouse 26 engine's HTTP interface on a loopback port (a node for"
                + " upstream.nodes): to chgate's admin login and to chgate gateways that send the node's key only.")
final class EngineCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "Loopback port to listen on.")
    int port;

    @Option(names = "--data-dir", required = true, description = "The engine's data directory.")
    Path dataDir;

    @Option(names = "--library", description = "libchdb.so (default: CHDB_LIB, then the usual places).")
    Path library;

    @Option(names = "--connections", defaultValue = "4", description = "Engine connections (default 4).")
    int connections;

    @Option(names = "--admin-user", defaultValue = "chgate_admin",
            description = "chgate's admin user, whose statements (named collections) are let through.")
    String adminUser;

    @Option(names = "--admin-password-file", description = "File with chgate's admin password; without it, no"
            + " statement passes the engine's second wall (so no chgate can manage collections on it).")
    Path adminPasswordFile;

    @Option(names = "--key-file", description = "File with the node's key (32+ characters, e.g. openssl rand -hex 32),"
            + " as the gateways' upstream.engine_key_file names it; without it, only the admin login is served.")
    Path keyFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EngineAdminLogin admin = adminPasswordFile == null ? null : new EngineAdminLogin(
                adminUser, EngineAdminLogin.sha256(java.nio.file.Files.readString(adminPasswordFile).strip()));
        EngineKey key = keyFile == null ? null : EngineKey.fromFile(keyFile);
        if (admin == null && key == null) {
            spec.commandLine().getErr().println("chgate engine: give --admin-password-file, --key-file or both;"
                    + " without either it would serve no one");
            spec.commandLine().getErr().flush();
            return 2;
        }
        EmbeddedClickHouse engine = EmbeddedClickHouse.shared(EmbeddedClickHouse.findLibrary(library), dataDir,
                connections);
        NioEventLoopGroup group = new NioEventLoopGroup(2);
        EmbeddedUpstream upstream = EmbeddedUpstream.start(group, NioServerSocketChannel.class, engine, connections,
                256 << 20, Duration.ofSeconds(30), port, key, admin);
        spec.commandLine().getErr().println("chgate engine: the ClickHouse 26 engine's HTTP interface on "
                + upstream.url() + " (loopback only; serves " + (admin == null ? "" : "chgate's admin login")
                + (admin != null && key != null ? " and " : "") + (key == null ? "" : "gateways with the node's key")
                + "; refuses everyone else)");
        spec.commandLine().getErr().flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            upstream.close();
            group.shutdownGracefully();
        }));
        group.terminationFuture().await();
        return 0;
    }
}
