package io.chgate.gateway.codec;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.snappy.SnappyCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Decodes the start of an lz4 (frame), xz, bz2 or raw snappy body: the encodings ClickHouse accepts beyond Netty's
 * decoders. Apache Commons Compress reads them from an {@link InputStream}, which cannot be fed as bytes arrive, so
 * this reads the body received so far again on each arrival and hands on what it had not decoded before: the bodies
 * it is used for are read only as far as their query (a few hundred KiB at most), which keeps the re-reading cheap.
 */
final class PrefixDecoder {
    private static final Set<String> ENCODINGS = Set.of("lz4", "xz", "bz2", "snappy");
    /** Raw bytes held while the query is read; a query's compressed text is far smaller. */
    private static final int MAX_RAW = 64 << 20;

    private final String encoding;
    private final long budget;
    private byte[] raw = new byte[0];
    private int rawLength;
    private long emitted;

    PrefixDecoder(String encoding, long budget) {
        this.encoding = encoding;
        this.budget = budget;
    }

    static boolean handles(String encoding) {
        return ENCODINGS.contains(encoding);
    }

    void decode(ByteBuf encoded, Consumer<ByteBuf> sink) {
        try {
            int n = encoded.readableBytes();
            if (rawLength + (long) n > MAX_RAW) {
                throw new ClickHouseError(ErrorCode.QUERY_IS_TOO_LARGE, "chgate: the " + encoding + " body's query"
                        + " does not end within its first " + MAX_RAW + " compressed bytes");
            }
            if (raw.length < rawLength + n) {
                raw = Arrays.copyOf(raw, Math.max(rawLength + n, raw.length * 2));
            }
            encoded.readBytes(raw, rawLength, n);
            rawLength += n;
        } finally {
            encoded.release();
        }
        byte[] decoded = decodeAvailable();
        if (decoded.length > emitted) {
            sink.accept(Unpooled.wrappedBuffer(decoded, (int) emitted, decoded.length - (int) emitted));
            emitted = decoded.length;
        }
    }

    /** Everything the raw bytes so far decode to, up to just past the budget; a truncated end is simply not there yet. */
    private byte[] decodeAvailable() {
        long limit = Math.min(budget, Integer.MAX_VALUE - 9) + 1;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = open(encoding, new ByteArrayInputStream(raw, 0, rawLength))) {
            while (out.size() < limit) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - out.size()));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            // the body so far ends inside a block, or is not valid: what was decoded before that stands
            if (out.size() == 0 && !looksTruncated(e)) {
                throw new ClickHouseError(ErrorCode.CANNOT_DECOMPRESS, "chgate cannot decode the " + encoding
                        + " request body: " + e.getMessage());
            }
        }
        return out.toByteArray();
    }

    private static boolean looksTruncated(Exception e) {
        return e instanceof java.io.EOFException || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT)
                .matches(".*(truncat|premature|end of|eof|unexpected end).*");
    }

    static InputStream open(String encoding, InputStream in) throws IOException {
        return switch (encoding) {
            case "lz4" -> new FramedLZ4CompressorInputStream(in, true);
            // A memory limit: an xz header may ask for a dictionary of gigabytes.
            case "xz" -> XZCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true)
                    .setMemoryLimitKiB(64 * 1024).get();
            case "bz2" -> new BZip2CompressorInputStream(in, true);
            case "snappy" -> new SnappyCompressorInputStream(in);
            default -> throw new IllegalArgumentException(encoding);
        };
    }
}
