package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.testkit.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The response cache is bounded by the bytes its answers take, not by their number: a gateway process limited to
 * 128 MiB of heap, with a 48 MiB cache, keeps 10,000 distinct answers of about 13 KB each (128 MB together) from the
 * 18.16 server coming. Were the bound wrong, the process would die of OutOfMemoryError here.
 */
class CacheHeapTest {

    @Test
    void tenThousandDistinctAnswersThroughA128MiBHeap() throws Exception {
        LocalStack stack = LocalStack.get();
        Path password = StackLogin.passwordFile(stack);
        Path config = Files.createTempFile("chgate-cache-heap", ".yaml");
        Files.writeString(config, """
                caches:
                  - { name: bounded, max_size: 48MiB, max_payload_size: 1MiB }
                users:
                  - name: filler
                    password_sha256_hex: %s
                    clickhouse: { user: %s, password_file: %s }
                    cache: bounded
                """.formatted(GatewayUsersTest.sha256("filler-pw"), stack.clickhouseAuthUser(), password));
        try (GatewayProcess gateway = GatewayProcess.start(stack.clickhouseHttpUrl(),
                List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"), List.of("--config", config.toString()))) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Long>> parts = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int from = t * 2500;
                    parts.add(pool.submit(() -> {
                        long bytes = 0;
                        try (RawHttp c = gateway.open()) {
                            for (int i = from; i < from + 2500; i++) {
                                RawHttp.Response r = ask(c, i);
                                assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
                                assertThat(r.header("X-Cache")).isEqualTo("MISS");
                                bytes += r.body().length;
                            }
                        }
                        return bytes;
                    }));
                }
                long total = 0;
                for (Future<Long> part : parts) {
                    total += part.get();
                }
                assertThat(total).as("bytes answered").isGreaterThan(120L << 20);
            } finally {
                pool.shutdownNow();
            }
            try (RawHttp c = gateway.open()) {   // the full cache still keeps a new answer
                assertThat(ask(c, 20_000).header("X-Cache")).isEqualTo("MISS");
                assertThat(ask(c, 20_000).header("X-Cache")).isEqualTo("HIT");
            }
            assertThat(gateway.process.isAlive()).as("gateway survived").isTrue();
            assertThat(gateway.logText()).doesNotContain("OutOfMemoryError");
        }
    }

    static RawHttp.Response ask(RawHttp c, int i) throws java.io.IOException {
        String sql = "SELECT " + i + ", arrayStringConcat(arrayMap(x -> toString(x + " + i + "), range(2500)), ',')";
        return c.exchange(RawHttp.request("POST", "/", List.of(new RawHttp.Header("X-ClickHouse-User", "filler"),
                new RawHttp.Header("X-ClickHouse-Key", "filler-pw")),
                sql.getBytes(java.nio.charset.StandardCharsets.UTF_8)), false);
    }
}
