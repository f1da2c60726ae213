package io.chgate.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** chgate run as its own JVM (as a user runs it), for tests about the process: heap limits, its logs. */
final class GatewayProcess implements AutoCloseable {
    final Process process;
    final int port;
    final Path log;

    private GatewayProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static GatewayProcess start(String upstreamUrl, List<String> jvmOptions, List<String> extraArgs)
            throws IOException, InterruptedException {
        return start(upstreamUrl, jvmOptions, extraArgs, java.util.Map.of());
    }

    /** With these environment variables too (CHGATE_... configuration). */
    static GatewayProcess start(String upstreamUrl, List<String> jvmOptions, List<String> extraArgs,
            java.util.Map<String, String> environment) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.chgate.gateway.cli.Chgate");
        command.add("run");
        command.add("--listen");
        command.add("127.0.0.1:" + port);
        command.add("--upstream");
        command.add(upstreamUrl);
        command.addAll(extraArgs);
        Path log = Files.createTempFile("chgate-process", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        GatewayProcess gateway = new GatewayProcess(process, port, log);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("chgate exited at start:\n" + Files.readString(log));
            }
            try (Socket probe = new Socket("127.0.0.1", port)) {
                probe.shutdownOutput();   // it accepted: chgate is listening
                return gateway;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        gateway.close();
        throw new IllegalStateException("chgate did not listen within 30 s:\n" + Files.readString(log));
    }

    RawHttp open() throws IOException {
        return new RawHttp("127.0.0.1", port);
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
