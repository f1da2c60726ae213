package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.testkit.LocalStack;
import io.chgate.vault.AdminChannel;
import io.chgate.vault.HttpAdminChannel;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code chgate engine} process: a ClickHouse 26 node on a free loopback port, its data in its own directory. */
final class EngineNode implements AutoCloseable {
    static final String ADMIN_PASSWORD = "engine-admin-" + System.nanoTime();
    private static Path passwordFile;

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
                LocalStack.get().chdbLibrary().toString(), "--admin-password-file", adminPasswordFile().toString());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (LocalStack.listening("127.0.0.1", port)) {
                return this;
            }
            assertThat(process.isAlive()).as("the engine process runs").isTrue();
            Thread.sleep(100);
        }
        throw new IllegalStateException("the engine did not listen in 60 s");
    }

    String query(String sql) {
        return admin().execute(sql);
    }

    AdminChannel admin() {
        return new HttpAdminChannel(URI.create(url()), "chgate_admin", ADMIN_PASSWORD);
    }

    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            kill();
        }
    }
}
