package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import io.chgate.testkit.LocalStack;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The heap a request uses does not grow with its body: a gateway limited to 256 MiB of heap passes a gigabyte each
 * way. If it buffered either body, it would die of OutOfMemoryError here.
 */
class BoundedHeapTest {

    @Test
    void aGigabyteEachWayThroughA256MiBHeap() throws Exception {
        LocalStack stack = LocalStack.get();
        GatewayUnderTest helper = GatewayUnderTest.shared();
        helper.clickhouse("CREATE DATABASE IF NOT EXISTS chgate_memory");
        helper.clickhouse("DROP TABLE IF EXISTS chgate_memory.gigabyte");
        helper.clickhouse("CREATE TABLE chgate_memory.gigabyte (n UInt64, s String) ENGINE = MergeTree ORDER BY n");
        try (GatewayProcess gateway = GatewayProcess.start(stack.clickhouseHttpUrl(),
                List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), List.of())) {
            Response out;
            try (RawHttp c = gateway.open()) {
                c.send(RawHttp.request("GET",
                        q("SELECT number, toString(number * 7) FROM system.numbers LIMIT 60000000"), List.of(), null));
                out = c.read(false, true);
            }
            assertThat(out.status()).isEqualTo(200);
            assertThat(out.complete()).isTrue();
            assertThat(out.bodyLength()).isGreaterThanOrEqualTo(1L << 30);
            String expectedLength = helper.clickhouse("SELECT sum(length(toString(number)) + length(toString(number * 7)) + 2)"
                    + " FROM numbers(60000000)").trim();
            assertThat(out.bodyLength()).isEqualTo(Long.parseLong(expectedLength));

            long rows = StreamingTest.streamInsert(gateway.open(), "chgate_memory.gigabyte", 1L << 30);
            assertThat(helper.clickhouse("SELECT count() FROM chgate_memory.gigabyte").trim())
                    .isEqualTo(Long.toString(rows));
            assertThat(gateway.process.isAlive()).as("gateway survived").isTrue();
            assertThat(gateway.logText()).doesNotContain("OutOfMemoryError");
        } finally {
            helper.clickhouse("DROP TABLE IF EXISTS chgate_memory.gigabyte");
        }
    }
}
