package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.gateway.RawHttp.Header;
import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.cli.GatewayLauncher;
import io.chgate.testkit.LocalStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code max_execution_time} on the embedded engine: past it chgate answers code 159 and closes the statement's
 * connection to the engine's front, which cancels it in the engine: it is gone from the engine's system.processes
 * within a second of the limit.
 */
class EmbeddedExecutionTimeTest {

    static final String ROWS = "SELECT sleepEachRow(0.5), '%s' FROM numbers(20) SETTINGS max_block_size = 1";
    static final String TOTAL = "SELECT sum(sleepEachRow(0.5)), '%s' FROM numbers(20) SETTINGS max_block_size = 1";

    @Test
    void aStatementPastMaxExecutionTimeIsCancelledInTheEngine() throws Exception {
        EmbeddedGateway g = new EmbeddedGateway(LocalStack.get()).user("eve", "eve-pw", List.of());
        g.config.users.get(0).maxExecutionTime = Duration.ofSeconds(2);
        try (EmbeddedGateway gateway = g.start()) {
            EmbeddedClickHouse engine = GatewayLauncher.embeddedEngine(gateway.config);

            // Nothing answered yet when the time runs out: code 159 with ClickHouse's status for it.
            String marker = "eve-" + UUID.randomUUID();
            long start = System.nanoTime();
            Response r = run(gateway, TOTAL.formatted(marker));
            assertThat(r.status()).as(r.bodyText()).isEqualTo(408);
            assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("159");
            assertThat(r.bodyText()).startsWith("Code: 159. DB::Exception: chgate: timeout exceeded: the statement"
                    + " ran longer than max_execution_time (2000 ms) and was cancelled");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(1950L, 2600L);
            assertGoneWithinASecondOfTheLimit(engine, marker, start);

            // Rows already streaming: the exception follows them in the body, as ClickHouse writes one, and the
            // response ends cut short, never looking complete.
            marker = "eve-" + UUID.randomUUID();
            start = System.nanoTime();
            r = run(gateway, ROWS.formatted(marker));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.complete()).isFalse();
            assertThat(r.bodyText()).startsWith("0\t" + marker + "\n").endsWith("Code: 159. DB::Exception: chgate:"
                    + " timeout exceeded: the statement ran longer than max_execution_time (2000 ms) and was cancelled."
                    + " (TIMEOUT_EXCEEDED)\n");
            assertGoneWithinASecondOfTheLimit(engine, marker, start);
        }
    }

    static void assertGoneWithinASecondOfTheLimit(EmbeddedClickHouse engine, String marker, long start)
            throws InterruptedException {
        String processes = "SELECT count() FROM system.processes WHERE query LIKE '%" + marker + "%'"
                + " AND query NOT LIKE '%system.processes%'";
        while (!engine.queryText(processes, "TSV").strip().equals("0")) {
            Thread.sleep(20);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .as("gone from the engine's system.processes (the limit is 2000 ms)").isLessThan(3000);
    }

    static Response run(EmbeddedGateway gateway, String sql) throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.port())) {
            return c.exchange(RawHttp.request("POST", "/", List.of(new Header("X-ClickHouse-User", "eve"),
                    new Header("X-ClickHouse-Key", "eve-pw")), sql.getBytes(StandardCharsets.UTF_8)), false);
        }
    }
}
