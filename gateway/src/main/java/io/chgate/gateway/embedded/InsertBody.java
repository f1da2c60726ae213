package io.chgate.gateway.embedded;

import io.chgate.gateway.codec.NativeBlocks;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.codec.BodyDecoder;
import io.chgate.gateway.error.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * An INSERT's data as the engine takes it: decoded as ClickHouse's server decodes a request body (the HTTP
 * {@code Content-Encoding} first, then {@code decompress=1}'s own compressed blocks), handed out in pieces.
 */
final class InsertBody {
    private static final int CHUNK = 1 << 20;

    /** Opens the data on the engine's worker, never on the event loop: decoders read their headers as they open. */
    interface Opener {
        InputStream open() throws IOException;
    }

    private final Opener opener;
    private final StreamedBody streamed;
    private InputStream data;
    private long bytes;

    private InsertBody(Opener opener, StreamedBody streamed) {
        this.opener = opener;
        this.streamed = streamed;
    }

    /** Data already decoded, or (with {@code streamed}) arriving from the client as the engine reads it. */
    static InsertBody of(Opener data, StreamedBody streamed) {
        return new InsertBody(data, streamed);
    }

    /**
     * The body's data, decoded on the reading thread.
     *
     * @throws ClickHouseError for a {@code Content-Encoding} ClickHouse does not accept either
     */
    static InputStream decoded(InputStream raw, String contentEncoding, boolean decompress) throws IOException {
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        InputStream plain = BodyDecoder.decodingStream(encoding, raw);
        return decompress ? new NativeBlocksStream(plain) : plain;
    }

    /**
     * The next piece of data, or null at its end.
     *
     * @throws ClickHouseError when the body cannot be read or decoded
     */
    byte[] next() {
        byte[] chunk = new byte[CHUNK];
        int length = 0;
        try {
            if (data == null) {
                data = opener.open();
            }
            while (length < CHUNK) {
                int n = data.read(chunk, length, CHUNK - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
        } catch (ClickHouseError e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ClickHouseError(ErrorCode.CANNOT_DECOMPRESS, "Cannot read the request body: " + e.getMessage());
        }
        bytes += length;
        return length == 0 ? null : length == CHUNK ? chunk : java.util.Arrays.copyOf(chunk, length);
    }

    /** Decoded bytes handed out so far. */
    long bytes() {
        return bytes;
    }

    /** The request has its answer: whatever of the body is still to come is read and dropped. */
    void answered() {
        if (streamed != null) {
            streamed.discard();
        }
    }

    /** {@code decompress=1}: ClickHouse's compressed blocks, pulled through the push decoder the gateway uses. */
    private static final class NativeBlocksStream extends InputStream {
        private final InputStream in;
        private final NativeBlocks.Decoder decoder = new NativeBlocks.Decoder();
        private final ArrayDeque<ByteBuf> decoded = new ArrayDeque<>();
        private final byte[] buffer = new byte[1 << 16];
        private boolean ended;

        NativeBlocksStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            while (decoded.isEmpty()) {
                if (ended) {
                    return -1;
                }
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    ended = true;
                    if (decoder.pending().isReadable()) {
                        throw new IOException("the body ends inside a compressed block");
                    }
                    continue;
                }
                decoder.decode(Unpooled.copiedBuffer(buffer, 0, n), decoded::add);
            }
            ByteBuf head = decoded.peek();
            int n = Math.min(length, head.readableBytes());
            head.readBytes(into, offset, n);
            if (!head.isReadable()) {
                decoded.poll().release();
            }
            return n;
        }
    }
}
