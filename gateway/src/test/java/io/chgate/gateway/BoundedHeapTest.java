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

    /**
     * Finding E1's other half: the embedded engine's front held a whole INSERT body in memory. A gigabyte of
     * RowBinary whose strings are arbitrary bytes (empty lines, CR, NUL and all) goes through a 256 MiB heap into
     * the engine, and arrives whole: row count, sum and a CRC32 of every string.
     */
    @Test
    void aGigabyteOfArbitraryInsertDataIntoTheEmbeddedEngineThroughA256MiBHeap() throws Exception {
        java.nio.file.Path dataDir = java.nio.file.Files.createTempDirectory("chgate-embedded-gigabyte");
        try (GatewayProcess gateway = GatewayProcess.start("embedded", List.of("-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError"), List.of(), java.util.Map.of("CHGATE_UPSTREAM_EMBEDDED_DATA_DIR",
                dataDir.toString()))) {
            try (RawHttp c = gateway.open()) {
                Response created = c.exchange(RawHttp.request("POST", "/", List.of(), ("CREATE TABLE gigabyte (n UInt64,"
                        + " s String) ENGINE = MergeTree ORDER BY n").getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        false);
                assertThat(created.status()).as(created.bodyText()).isEqualTo(200);
            }
            long[] expected;
            try (RawHttp c = gateway.open()) {
                expected = streamRowBinary(c, 1L << 30);
            }
            try (RawHttp c = gateway.open()) {
                Response r = c.exchange(RawHttp.request("GET", q("SELECT count(), sum(n), groupBitXor(CRC32(s)) FROM"
                        + " gigabyte"), List.of(), null), false);
                assertThat(r.bodyText()).isEqualTo(expected[0] + "\t" + expected[1] + "\t" + expected[2] + "\n");
            }
            assertThat(gateway.process.isAlive()).as("gateway survived").isTrue();
            assertThat(gateway.logText()).doesNotContain("OutOfMemoryError");
        } finally {
            try (var files = java.nio.file.Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(java.nio.file.Path::toFile)
                        .forEach(java.io.File::delete);
            }
        }
    }

    /** Sends RowBinary rows (n UInt64, s String of 1..200 random bytes, often "\n\n"); returns {rows, sum n, xor CRC32}. */
    static long[] streamRowBinary(RawHttp c, long bytes) throws java.io.IOException {
        java.io.OutputStream out = c.output();
        out.write(("POST " + q("INSERT INTO gigabyte FORMAT RowBinary") + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(1 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        byte[] s = new byte[200];
        long sent = 0;
        long rows = 0;
        long sum = 0;
        long xor = 0;
        while (sent < bytes) {
            chunk.clear();
            while (chunk.remaining() >= 8 + 2 + s.length) {
                int length = 1 + random.nextInt(s.length);
                for (int i = 0; i < length; i++) {
                    s[i] = (byte) random.nextInt(256);
                }
                if (length > 4) {
                    s[1] = '\n';
                    s[2] = '\n';
                }
                chunk.putLong(rows);
                chunk.put((byte) (length < 128 ? length : (length & 0x7F) | 0x80));
                if (length >= 128) {
                    chunk.put((byte) (length >>> 7));
                }
                chunk.put(s, 0, length);
                crc.reset();
                crc.update(s, 0, length);
                xor ^= crc.getValue();
                sum += rows;
                rows++;
            }
            out.write((Integer.toHexString(chunk.position()) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(chunk.array(), 0, chunk.position());
            out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            sent += chunk.position();
        }
        out.write("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        Response r = c.read(false, false);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.header("X-ClickHouse-Summary")).contains("\"written_rows\":\"" + rows + "\"");
        return new long[] {rows, sum, xor};
    }
}
