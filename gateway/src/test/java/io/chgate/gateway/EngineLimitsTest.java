package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EngineMemory;
import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.cli.GatewayLauncher;
import io.chgate.testkit.LocalStack;
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

            assertThat(gateway.post("bob", "SELECT getSetting('max_memory_usage')").bodyText())
                    .isEqualTo(ceiling / 2 + "\n");
            assertThat(gateway.post("bob", "SELECT getSetting('max_memory_usage') SETTINGS max_memory_usage = 1000000")
                    .bodyText()).isEqualTo("1000000\n");
            Response unlimited = gateway.post("bob", "SELECT 1 SETTINGS max_memory_usage = 0");
            assertThat(unlimited.status()).as(unlimited.bodyText()).isNotEqualTo(200);
            Response threads = gateway.post("bob", "SELECT 1 SETTINGS max_threads = 256");
            assertThat(threads.status()).as(threads.bodyText()).isNotEqualTo(200);
        }
    }
}
