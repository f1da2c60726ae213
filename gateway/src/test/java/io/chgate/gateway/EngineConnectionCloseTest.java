package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.testkit.LocalStack;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pooled connection to the embedded engine's front carries many statements; when it closes, only a statement still
 * running on it is cancelled — not every statement it ever carried (which piled a listener per statement on the
 * connection and, at its close, a thread and a KILL QUERY for each: thousands of threads after a busy day).
 */
class EngineConnectionCloseTest {

    static long cancellers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("chgate-engine-cancel") && t.isAlive()).count();
    }

    @Test
    void closingAConnectionCancelsOnlyWhatStillRunsOnIt() throws Exception {
        EmbeddedGateway gateway = new EmbeddedGateway(LocalStack.get()).user("pooled", "pooled-pw", List.of());
        gateway.config.upstream.embedded.connections = 1;
        gateway.start();
        long before = cancellers();
        try {
            for (int i = 0; i < 400; i++) {
                RawHttp.Response r = gateway.post("pooled", "SELECT " + i);
                assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
            }
        } finally {
            gateway.close();   // closes chgate's pooled connections to the engine's front
        }
        Thread.sleep(500);
        assertThat(cancellers() - before).as("cancel threads after the close").isLessThan(10);
    }
}
