package io.chgate.gateway.proxy;

import io.chgate.gateway.codec.BodyDecoder;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.sql.InsertData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds the start of a request body until the SQL in it is known, without ever holding more than the query limit
 * (plus the one network read that crossed it). The text ClickHouse parses is {@code prefix + body}, where the prefix
 * is the {@code query} URL parameter and a newline when the client split its query between URL and body.
 *
 * <p>The raw bytes are kept as they came, so that a query the interceptor passes is forwarded byte for byte; the
 * decoded bytes (the same buffers when the body is not encoded) are what the SQL is read from.
 */
final class BodyQueryBuffer implements AutoCloseable {

    enum Status { NEED_MORE, COMPLETE }

    private final byte[] prefix;
    private final int maxQueryBytes;
    private final List<ByteBuf> raw = new ArrayList<>();
    private final CompositeByteBuf decoded;
    private final BodyDecoder decoder;
    private long rawBytes;
    /** Bytes of the decoded body that belong to the query; valid once COMPLETE. */
    private int bodyQueryBytes = -1;

    BodyQueryBuffer(ByteBufAllocator alloc, String prefix, String contentEncoding, boolean nativeBlocks,
            int maxQueryBytes) {
        if (contentEncoding != null && nativeBlocks) {
            throw new ClickHouseError(ErrorCode.UNKNOWN_COMPRESSION_METHOD, "chgate cannot read a query in a body that"
                    + " is both Content-Encoding " + contentEncoding + " and decompress=1; use one of them");
        }
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.maxQueryBytes = maxQueryBytes;
        this.decoded = alloc.compositeBuffer(Integer.MAX_VALUE);
        this.decoder = nativeBlocks ? BodyDecoder.forNativeBlocks(maxQueryBytes)
                : contentEncoding == null ? null : BodyDecoder.forEncoding(contentEncoding, maxQueryBytes);
    }

    boolean nativeBlocks() {
        return decoder != null && decoder.nativeBlocks();
    }

    /** The raw bytes of a native block that has not arrived whole yet; the caller owns the buffer. */
    ByteBuf pendingRaw() {
        return decoder == null ? io.netty.buffer.Unpooled.EMPTY_BUFFER : decoder.pendingRaw();
    }

    /** Takes ownership of {@code chunk}. Throws a {@link ClickHouseError} when the query is larger than the limit. */
    Status append(ByteBuf chunk, boolean last) {
        rawBytes += chunk.readableBytes();
        raw.add(chunk);
        if (decoder == null) {
            decoded.addComponent(true, chunk.retainedDuplicate());
        } else {
            decoder.decode(chunk.retainedDuplicate(), buf -> decoded.addComponent(true, buf));
        }
        int textLength = prefix.length + decoded.readableBytes();
        // Bytes map one to one onto ISO-8859-1 chars, so offsets found in this view are byte offsets; the lexer
        // only needs the ASCII structure of the text to find where an INSERT's data begins.
        String view = latin1View(Math.min(textLength, maxQueryBytes + 1));
        int dataStart = InsertData.dataStart(view);
        if (dataStart >= 0 && dataStart <= maxQueryBytes) {
            bodyQueryBytes = Math.max(0, dataStart - prefix.length);
            return Status.COMPLETE;
        }
        if (textLength > maxQueryBytes) {
            throw new ClickHouseError(ErrorCode.QUERY_IS_TOO_LARGE, "chgate: the query is larger than "
                    + "limits.max_query_size (" + maxQueryBytes + " bytes); raise the limit or send less SQL");
        }
        if (last) {
            bodyQueryBytes = decoded.readableBytes();
            return Status.COMPLETE;
        }
        return Status.NEED_MORE;
    }

    private String latin1View(int length) {
        byte[] bytes = new byte[length];
        int fromPrefix = Math.min(prefix.length, length);
        System.arraycopy(prefix, 0, bytes, 0, fromPrefix);
        decoded.getBytes(decoded.readerIndex(), bytes, fromPrefix, length - fromPrefix);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The SQL text: prefix and the query part of the body, decoded as UTF-8. */
    String sql() {
        return new String(prefix, StandardCharsets.UTF_8)
                + decoded.toString(decoded.readerIndex(), bodyQueryBytes, StandardCharsets.UTF_8);
    }

    long rawBytes() {
        return rawBytes;
    }

    boolean encoded() {
        return decoder != null;
    }

    /** Whether the rest of the body can be decoded as it streams (false for lz4, xz, bz2, snappy). */
    boolean streamingDecoder() {
        return decoder == null || decoder.streaming();
    }

    /** The body as received, for forwarding unchanged. The caller owns the buffers. */
    List<ByteBuf> takeRaw() {
        List<ByteBuf> taken = new ArrayList<>(raw);
        raw.clear();
        return taken;
    }

    /**
     * The decoded bytes that follow the query (an INSERT's inline data), for a rewritten body. The caller owns the
     * buffer. For a plain body this is also the raw remainder, byte for byte.
     */
    ByteBuf takeDataRemainder() {
        ByteBuf rest = decoded.retainedSlice(decoded.readerIndex() + bodyQueryBytes,
                decoded.readableBytes() - bodyQueryBytes);
        return rest;
    }

    /** Decodes a later body chunk with the same decoder, for a rewritten encoded body sent on decoded. */
    void decodeMore(ByteBuf chunk, java.util.function.Consumer<ByteBuf> sink) {
        decoder.decode(chunk, sink);
    }

    @Override
    public void close() {
        raw.forEach(ByteBuf::release);
        raw.clear();
        decoded.release();
        if (decoder != null) {
            decoder.close();
        }
    }
}
