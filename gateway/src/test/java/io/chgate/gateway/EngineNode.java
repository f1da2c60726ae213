package io.chgate.gateway;


import io.chgate.testkit.LocalStack;
import io.chgate.vault.AdminChannel;
import io.chgate.vault.HttpAdminChannel;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A {@code chgate engine} process: a ClickHouse 26 node on a free loopback port, its data in its own directory. */
final class EngineNode implements AutoCloseable {
    static final String ADMIN_PASSWORD = "engine-admin-" + System.nanoTime();
    private static Path passwordFile;
    private static Path keyFile;

    /** The admin password every engine node of this JVM takes, in a file (as chgate's config names it). */
    static synchronized Path adminPasswordFile() {
        if (passwordFile == null) {
            try {
                passwordFile = Files.createTempFile("chgate-engine-admin", ".password");
                Files.writeString(passwordFile, ADMIN_PASSWORD);
                passwordFile.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return passwordFile;
    }

    /** The key every engine node of this JVM serves, in a file (the gateways' upstream.engine_key_file). */
    static synchronized Path keyFile() {
        if (keyFile == null) {
            try {
                keyFile = Files.createTempFile("chgate-engine", ".key");
                byte[] secret = new byte[32];
                new java.security.SecureRandom().nextBytes(secret);
                Files.writeString(keyFile, java.util.HexFormat.of().formatHex(secret));
                keyFile.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return keyFile;
    }

    final int port;
    final Path data;
    Process process;

    EngineNode(Path data) throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            this.port = probe.getLocalPort();
        }
        this.data = data;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    EngineNode start() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.chgate.gateway.cli.Chgate", "engine", "--port",
                Integer.toString(port), "--data-dir", data.toString(), "--library",
                LocalStack.get().chdbLibrary().toString(), "--admin-password-file", adminPasswordFile().toString(),
                "--key-file", keyFile().toString());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile()).start();
        LocalStack.awaitListening(process, port, "chgate engine (its log: " + data + ".log)");
        return this;
    }

    String query(String sql) {
        return admin().execute(sql);
    }

    /** chgate's admin channel over these nodes, each named as upstream.nodes names it ({@code host:port}). */
    static io.chgate.vault.NodesAdminChannel nodesAdmin(List<EngineNode> engines) {
        java.util.Map<String, AdminChannel> channels = new java.util.LinkedHashMap<>();
        for (EngineNode engine : engines) {
            channels.put("127.0.0.1:" + engine.port, engine.admin());
        }
        return new io.chgate.vault.NodesAdminChannel(channels);
    }

    AdminChannel admin() {
        return new HttpAdminChannel(URI.create(url()), "chgate_admin", ADMIN_PASSWORD);
    }

    void kill() {
        LocalStack.killNow(process);
    }

    @Override
    public void close() {
        if (process != null) {
            kill();
        }
    }
}
