package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Big bodies both ways and many clients at once, through the shared identity gateway. */
class StreamingTest {
    static GatewayUnderTest env;

    @BeforeAll
    static void start() throws Exception {
        env = GatewayUnderTest.shared();
        env.clickhouse("CREATE DATABASE IF NOT EXISTS chgate_streaming");
    }

    @Test
    void aLargeResultIsTheSameByteForByte() throws IOException {
        // about 150 MB of TSV
        byte[] request = RawHttp.request("GET",
                q("SELECT number, toString(number * 7) FROM system.numbers LIMIT 8000000"), List.of(), null);
        Response direct;
        Response proxied;
        try (RawHttp d = env.openDirect(); RawHttp p = env.openProxied()) {
            d.send(request);
            direct = d.read(false, true);
            p.send(request);
            proxied = p.read(false, true);
        }
        assertThat(direct.bodyLength()).isGreaterThan(100_000_000L);
        assertThat(proxied.bodyLength()).isEqualTo(direct.bodyLength());
        assertThat(proxied.sha256()).isEqualTo(direct.sha256());
        assertThat(proxied.complete()).isTrue();
    }

    @Test
    void aLargeInsertArrivesWhole() throws IOException {
        env.clickhouse("DROP TABLE IF EXISTS chgate_streaming.big");
        env.clickhouse("CREATE TABLE chgate_streaming.big (n UInt64, s String) ENGINE = MergeTree ORDER BY n");
        long rows = streamInsert(env.openProxied(), "chgate_streaming.big", 110_000_000L);
        assertThat(env.clickhouse("SELECT count(), sum(n) FROM chgate_streaming.big FORMAT TSV"))
                .isEqualTo(rows + "\t" + (rows * (rows - 1) / 2) + "\n");
        env.clickhouse("DROP TABLE chgate_streaming.big");
    }

    /** Streams rows {@code n\tpadding} until about {@code bytes} were sent, chunked; returns the row count. */
    static long streamInsert(RawHttp connection, String table, long bytes) throws IOException {
        try (RawHttp c = connection) {
            OutputStream out = c.output();
            out.write(("POST " + q("INSERT INTO " + table + " FORMAT TSV") + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder chunk = new StringBuilder(1 << 20);
            long sent = 0;
            long n = 0;
            String padding = "x".repeat(80);
            while (sent < bytes) {
                chunk.setLength(0);
                while (chunk.length() < (1 << 20) - 200) {
                    chunk.append(n++).append('\t').append(padding).append('\n');
                }
                byte[] data = chunk.toString().getBytes(StandardCharsets.US_ASCII);
                out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(data);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                sent += data.length;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Response r = c.read(false, false);
            assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
            return n;
        }
    }

    @Test
    void sixtyFourClientsAtOnceEachGetTheirOwnAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int client = 0; client < 64; client++) {
                int id = client;
                answers.add(pool.submit(() -> {
                    StringBuilder all = new StringBuilder();
                    try (RawHttp c = env.openProxied()) {
                        for (int i = 0; i < 20; i++) {
                            Response r = c.exchange(RawHttp.request("GET",
                                    q("SELECT " + id + " * 1000 + " + i + ", count() FROM numbers(1000)"),
                                    List.of(), null), false);
                            all.append(r.bodyText());
                        }
                    }
                    return all.toString();
                }));
            }
            for (int client = 0; client < 64; client++) {
                StringBuilder expected = new StringBuilder();
                for (int i = 0; i < 20; i++) {
                    expected.append(client * 1000 + i).append("\t1000\n");
                }
                assertThat(answers.get(client).get()).isEqualTo(expected.toString());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
