package io.chgate.gateway.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.testkit.LocalStack;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ClickHouse's compressed block format, checked against the real ClickHouse server (which verifies checksums). */
class NativeBlocksTest {
    private final LocalStack stack = LocalStack.get();
    private final HttpClient http = HttpClient.newHttpClient();

    private byte[] get(String sql, String extra) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(stack.clickhouseHttpUrl() + "/?query="
                + URLEncoder.encode(sql, StandardCharsets.UTF_8) + extra)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static byte[] decodeInPieces(byte[] encoded, Random random) {
        NativeBlocks.Decoder decoder = new NativeBlocks.Decoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length; ) {
            int n = Math.min(encoded.length - i, 1 + random.nextInt(70_000));
            decoder.decode(Unpooled.wrappedBuffer(encoded, i, n), b -> {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                out.writeBytes(bytes);
            });
            i += n;
        }
        assertThat(decoder.pending().readableBytes()).isZero();
        return out.toByteArray();
    }

    @Test
    void decodesARealCompressedResponseVerifyingEveryChecksum() throws Exception {
        String sql = "SELECT number, toString(number * 3) FROM system.numbers LIMIT 400000";
        byte[] plain = get(sql, "");
        byte[] compressed = get(sql, "&compress=1");
        assertThat(compressed.length).isLessThan(plain.length);
        assertThat(decodeInPieces(compressed, new Random(1))).isEqualTo(plain);
    }

    @Test
    void encodesWhatTheServerAccepts() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(stack.clickhouseHttpUrl() + "/")).POST(HttpRequest.BodyPublishers
                .ofString("CREATE TABLE IF NOT EXISTS default.chgate_native (n UInt64) ENGINE = Memory")).build(),
                HttpResponse.BodyHandlers.ofString());
        http.send(HttpRequest.newBuilder(URI.create(stack.clickhouseHttpUrl() + "/")).POST(HttpRequest.BodyPublishers
                .ofString("TRUNCATE TABLE default.chgate_native")).build(), HttpResponse.BodyHandlers.ofString());
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < 300_000; i++) {
            tsv.append(i).append('\n');
        }
        byte[] body = NativeBlocks.encode(tsv.toString().getBytes(StandardCharsets.UTF_8));
        String insert = stack.clickhouseHttpUrl() + "/?decompress=1&query="
                + URLEncoder.encode("INSERT INTO default.chgate_native FORMAT TSV", StandardCharsets.UTF_8);
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(insert))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(new String(get("SELECT count(), sum(n) FROM default.chgate_native", ""), StandardCharsets.UTF_8))
                .isEqualTo("300000\t44999850000\n");
        body[body.length / 2] ^= 0x40;
        HttpResponse<String> corrupted = http.send(HttpRequest.newBuilder(URI.create(insert))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(corrupted.statusCode()).as("the server verifies checksums").isNotEqualTo(200);
    }

    @Test
    void roundTripsAnyBytesAndDetectsCorruption() {
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 7, 8, 15, 16, 17, 127, 128, 129, 1000, 3 * NativeBlocks.BLOCK_SIZE + 5}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            assertThat(decodeInPieces(NativeBlocks.encode(data), random)).isEqualTo(data);
        }
        byte[] encoded = NativeBlocks.encode("SELECT 1".getBytes(StandardCharsets.UTF_8));
        encoded[encoded.length - 1] ^= 1;
        assertThatThrownBy(() -> new NativeBlocks.Decoder().decode(Unpooled.wrappedBuffer(encoded), ByteBuf::release))
                .isInstanceOf(ClickHouseError.class).hasMessageContaining("checksum doesn't match");
    }
}
