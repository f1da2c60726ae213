package io.chgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One more ClickHouse 18.16 server process for cluster tests: the stack's binary and users, its own ports and data
 * directory. {@link #kill} is SIGKILL (a node dying mid-workload); {@link #start} brings it back on the same data.
 */
public final class ClickHouseNode implements AutoCloseable {
    private final int httpPort;
    private final Path dir;
    private Process process;

    public ClickHouseNode(LocalStack stack, int httpPort, int tcpPort) {
        this.httpPort = httpPort;
        this.dir = Path.of(System.getProperty("java.io.tmpdir"), "chgate-node-" + httpPort + "-"
                + ProcessHandle.current().pid());
        Path users = Path.of(stack.value("CHGATE_STACK_DIR"), "clickhouse", "users.xml");
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("config.xml"), """
                    <yandex>
                      <logger><level>warning</level><log>%1$s/server.log</log><errorlog>%1$s/error.log</errorlog></logger>
                      <http_port>%2$d</http_port>
                      <tcp_port>%3$d</tcp_port>
                      <listen_host>127.0.0.1</listen_host>
                      <path>%1$s/data/</path>
                      <tmp_path>%1$s/data/tmp/</tmp_path>
                      <user_files_path>%1$s/data/user_files/</user_files_path>
                      <format_schema_path>%1$s/data/format_schemas/</format_schema_path>
                      <users_config>%4$s</users_config>
                      <default_profile>default</default_profile>
                      <default_database>default</default_database>
                      <mark_cache_size>67108864</mark_cache_size>
                      <keep_alive_timeout>3</keep_alive_timeout>
                      <timezone>UTC</timezone>
                    </yandex>
                    """.formatted(dir, httpPort, tcpPort, users));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Starts the server and waits until it answers {@code /ping}. */
    public ClickHouseNode start() {
        try {
            process = new ProcessBuilder("clickhouse-server", "--config-file=" + dir.resolve("config.xml"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run clickhouse-server (dev/stack up installs it)", e);
        }
        LocalStack.awaitListening(process, httpPort, "clickhouse-server (its logs: " + dir + ")");
        return this;
    }

    /** SIGKILL: the node dies at once, mid-request if there is one. */
    public void kill() {
        if (process != null) {
            LocalStack.killNow(process);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
