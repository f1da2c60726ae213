package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EngineMemory;
import io.chgate.gateway.RawHttp.Header;
import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.cli.GatewayLauncher;
import io.chgate.testkit.LocalStack;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedded engine runs inside chgate's process: its memory has a ceiling well below the machine's (the engine's
 * own default is 0.9 of it), and each statement gets half of that unless it asks for less — never more, never 0.
 */
class EngineLimitsTest {
    @Test
    void theEngineAndEachStatementHaveAMemoryCeiling() throws Exception {
        EmbeddedGateway g = new EmbeddedGateway(LocalStack.get()).user("bob", "bob-pw", List.of());
        try (EmbeddedGateway gateway = g.start()) {
            long ceiling = Long.parseLong(GatewayLauncher.embeddedEngine(g.config).queryText(
                    "SELECT value FROM system.server_settings WHERE name = 'max_server_memory_usage'", "TSV").trim());
            assertThat(ceiling).isEqualTo(EngineMemory.defaultCeiling());
            long machine = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getTotalMemorySize();
            assertThat(ceiling).isLessThanOrEqualTo(machine / 2);

            assertThat(run(gateway, "SELECT getSetting('max_memory_usage')").bodyText())
                    .isEqualTo(ceiling / 2 + "\n");
            assertThat(run(gateway, "SELECT getSetting('max_memory_usage') SETTINGS max_memory_usage = 1000000")
                    .bodyText()).isEqualTo("1000000\n");
            Response unlimited = run(gateway, "SELECT 1 SETTINGS max_memory_usage = 0");
            assertThat(unlimited.status()).as(unlimited.bodyText()).isNotEqualTo(200);
            Response threads = run(gateway, "SELECT 1 SETTINGS max_threads = 256");
            assertThat(threads.status()).as(threads.bodyText()).isNotEqualTo(200);
        }
    }

    private static Response run(EmbeddedGateway gateway, String sql) throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.port())) {
            return c.exchange(RawHttp.request("POST", "/", List.of(new Header("X-ClickHouse-User", "bob"),
                    new Header("X-ClickHouse-Key", "bob-pw")), sql.getBytes(StandardCharsets.UTF_8)), false);
        }
    }
}
