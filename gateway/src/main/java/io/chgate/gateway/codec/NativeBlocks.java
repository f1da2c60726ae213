package io.chgate.gateway.codec;

import com.github.luben.zstd.Zstd;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;
import net.jpountz.lz4.LZ4Factory;

/**
 * ClickHouse's own compressed format ({@code compress=1} responses, {@code decompress=1} request bodies): blocks of
 * a 16-byte CityHash128 v1.0.2 checksum (low, high 64 bits, little-endian) over the rest of the block, a method byte
 * (0x82 LZ4, 0x90 ZSTD, 0x02 none), the block's size including the 9-byte header, the decompressed size, and data.
 */
public final class NativeBlocks {
    public static final int CHECKSUM = 16;
    public static final int HEADER = 9;
    private static final int METHOD_NONE = 0x02;
    private static final int METHOD_LZ4 = 0x82;
    private static final int METHOD_ZSTD = 0x90;
    /** ClickHouse's max_compress_block_size default; also the largest block the encoder writes. */
    public static final int BLOCK_SIZE = 1 << 20;
    /** Blocks larger than this are refused rather than allocated (ClickHouse caps at 1 GiB; a query needs less). */
    private static final int MAX_BLOCK = 256 << 20;
    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

    private NativeBlocks() {
    }

    /** Encodes data as LZ4 blocks of at most {@link #BLOCK_SIZE} bytes, with correct checksums. */
    public static byte[] encode(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        for (int offset = 0; offset < data.length || offset == 0; offset += BLOCK_SIZE) {
            int n = Math.min(BLOCK_SIZE, data.length - offset);
            int max = LZ4.fastCompressor().maxCompressedLength(n);
            byte[] block = new byte[CHECKSUM + HEADER + max];
            int compressed = LZ4.fastCompressor().compress(data, offset, n, block, CHECKSUM + HEADER, max);
            block[CHECKSUM] = (byte) METHOD_LZ4;
            putInt(block, CHECKSUM + 1, HEADER + compressed);
            putInt(block, CHECKSUM + 5, n);
            long[] sum = CityHash128.hash(block, CHECKSUM, HEADER + compressed);
            putLong(block, 0, sum[0]);
            putLong(block, 8, sum[1]);
            out.write(block, 0, CHECKSUM + HEADER + compressed);
            if (data.length == 0) {
                break;
            }
        }
        return out.toByteArray();
    }

    /**
     * Decodes blocks as their bytes arrive: complete blocks are verified and handed on decoded, a block still
     * arriving waits in {@link #pending()}.
     */
    public static final class Decoder {
        private final int maxBlock;
        private final long budget;
        private long decodedTotal;
        private byte[] buffer = new byte[0];
        private int length;

        /** A decoder for whole bodies: any block size ClickHouse itself accepts. */
        public Decoder() {
            this(MAX_BLOCK, Long.MAX_VALUE);
        }

        /**
         * A decoder that holds no block larger than {@code maxBlock} (compressed or not) and stops decoding once it
         * has handed out more than {@code budget} bytes: what is declared is never allocated before it is bounded,
         * so a small body declaring huge blocks costs nothing.
         */
        public Decoder(int maxBlock, long budget) {
            this.maxBlock = Math.min(maxBlock, MAX_BLOCK);
            this.budget = budget;
        }

        public void decode(ByteBuf in, Consumer<ByteBuf> sink) {
            try {
                int n = in.readableBytes();
                ensure(length + n);
                in.readBytes(buffer, length, n);
                length += n;
            } finally {
                in.release();
            }
            int offset = 0;
            while (length - offset >= CHECKSUM + HEADER && decodedTotal <= budget) {
                int size = getInt(buffer, offset + CHECKSUM + 1);
                int decompressed = getInt(buffer, offset + CHECKSUM + 5);
                if (size < HEADER || size > maxBlock || decompressed < 0 || decompressed > maxBlock) {
                    throw new ClickHouseError(ErrorCode.CANNOT_DECOMPRESS, "chgate: a decompress=1 body has a block "
                            + "larger than " + maxBlock + " bytes (compressed " + Integer.toUnsignedString(size)
                            + ", decompressed " + Integer.toUnsignedString(decompressed) + ")");
                }
                if (length - offset < CHECKSUM + size) {
                    break;
                }
                decodedTotal += decompressed;
                sink.accept(Unpooled.wrappedBuffer(block(buffer, offset, size, decompressed)));
                offset += CHECKSUM + size;
            }
            System.arraycopy(buffer, offset, buffer, 0, length - offset);
            length -= offset;
        }

        /** The raw bytes of a block not yet complete; they continue in the bytes still to come. */
        public ByteBuf pending() {
            return Unpooled.copiedBuffer(buffer, 0, length);
        }

        private void ensure(int capacity) {
            if (buffer.length < capacity) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
            }
        }
    }

    private static byte[] block(byte[] b, int offset, int size, int decompressed) {
        long[] sum = CityHash128.hash(b, offset + CHECKSUM, size);
        if (sum[0] != getLong(b, offset) || sum[1] != getLong(b, offset + 8)) {
            throw new ClickHouseError(ErrorCode.CHECKSUM_DOESNT_MATCH,
                    "chgate: checksum doesn't match in a decompress=1 body: corrupted data");
        }
        int method = b[offset + CHECKSUM] & 0xff;
        int dataStart = offset + CHECKSUM + HEADER;
        int dataLength = size - HEADER;
        byte[] out = new byte[decompressed];
        try {
            switch (method) {
                case METHOD_LZ4 -> LZ4.safeDecompressor().decompress(b, dataStart, dataLength, out, 0, decompressed);
                case METHOD_ZSTD -> {
                    long n = Zstd.decompressByteArray(out, 0, decompressed, b, dataStart, dataLength);
                    if (Zstd.isError(n) || n != decompressed) {
                        throw new IllegalStateException(Zstd.getErrorName(n));
                    }
                }
                case METHOD_NONE -> System.arraycopy(b, dataStart, out, 0, Math.min(dataLength, decompressed));
                default -> throw new ClickHouseError(ErrorCode.UNKNOWN_COMPRESSION_METHOD,
                        "chgate: unknown compression method 0x" + Integer.toHexString(method) + " in a decompress=1 body"
                                + " (chgate reads LZ4, ZSTD and none)");
            }
        } catch (ClickHouseError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ClickHouseError(ErrorCode.CANNOT_DECOMPRESS, "chgate: cannot decompress a decompress=1 body: "
                    + e.getClass().getSimpleName());
        }
        return out;
    }

    private static int getInt(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }

    private static long getLong(byte[] b, int p) {
        return (getInt(b, p) & 0xffffffffL) | (long) getInt(b, p + 4) << 32;
    }

    private static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
    }

    private static void putLong(byte[] b, int p, long v) {
        putInt(b, p, (int) v);
        putInt(b, p + 4, (int) (v >>> 32));
    }
}
