package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Header;
import io.chgate.testkit.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** chgate as its own process reloads its configuration file on SIGHUP, as chproxy does. */
class HangupReloadTest {
    @TempDir
    Path dir;

    static String config(String user, Path passwordFile) throws Exception {
        return "users:\n  - name: " + user + "\n    password_sha256_hex: " + GatewayUsersTest.sha256(user + "-pw")
                + "\n    clickhouse: { user: " + LocalStack.get().clickhouseAuthUser() + ", password_file: "
                + passwordFile + " }\n";
    }

    static int status(int port, String user) throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", port)) {
            return c.exchange(RawHttp.request("GET", "/?query=SELECT%201", List.of(new Header("X-ClickHouse-User", user),
                    new Header("X-ClickHouse-Key", user + "-pw")), null), false).status();
        }
    }

    @Test
    void aHangupAppliesTheEditedFile() throws Exception {
        LocalStack stack = LocalStack.get();
        Path password = dir.resolve("ch.password");
        Files.writeString(password, stack.clickhouseAuthPassword());
        Path file = dir.resolve("chgate.yaml");
        Files.writeString(file, config("alice", password));
        try (GatewayProcess gateway = GatewayProcess.start(stack.clickhouseHttpUrl(), List.of(),
                List.of("--config", file.toString()))) {
            assertThat(status(gateway.port, "alice")).isEqualTo(200);
            assertThat(status(gateway.port, "bob")).isEqualTo(403);
            Files.writeString(file, config("bob", password));
            Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(gateway.process.pid())).start();
            assertThat(hup.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (status(gateway.port, "bob") != 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(status(gateway.port, "bob")).as(gateway.logText()).isEqualTo(200);
            assertThat(status(gateway.port, "alice")).isEqualTo(403);
            assertThat(gateway.process.isAlive()).isTrue();
            assertThat(gateway.logText()).contains("SIGHUP: configuration reloaded")
                    .doesNotContain(stack.clickhouseAuthPassword());
        }
    }
}
