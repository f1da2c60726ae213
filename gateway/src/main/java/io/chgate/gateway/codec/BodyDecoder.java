package io.chgate.gateway.codec;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.BrotliDecoder;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.codec.compression.ZstdDecoder;
import java.util.function.Consumer;

/**
 * Decodes a request body sent with {@code Content-Encoding}, incrementally, so the gateway can read the SQL at its
 * start. Netty's own decoders run in an {@link EmbeddedChannel}: the same code paths as its HTTP decompressor.
 */
public final class BodyDecoder implements AutoCloseable {
    private final EmbeddedChannel channel;
    private final NativeBlocks.Decoder nativeBlocks;
    private final PrefixDecoder prefix;

    private BodyDecoder(EmbeddedChannel channel) {
        this.channel = channel;
        this.nativeBlocks = null;
        this.prefix = null;
    }

    private BodyDecoder(NativeBlocks.Decoder nativeBlocks) {
        this.channel = null;
        this.nativeBlocks = nativeBlocks;
        this.prefix = null;
    }

    private BodyDecoder(PrefixDecoder prefix) {
        this.channel = null;
        this.nativeBlocks = null;
        this.prefix = prefix;
    }

    /**
     * Whether every decoded byte can be had as the body streams in. The lz4, xz, bz2 and snappy decoders read a
     * body's start again as it grows (enough to read a query), so a body they decode is forwarded as it came.
     */
    public boolean streaming() {
        return prefix == null;
    }

    /**
     * For {@code decompress=1} bodies: ClickHouse's own compressed blocks, none larger than 16 MiB (clients send 1
     * MiB), decoded no further than {@code budget} bytes.
     */
    public static BodyDecoder forNativeBlocks(long budget) {
        return new BodyDecoder(new NativeBlocks.Decoder(MAX_QUERY_BLOCK, budget));
    }

    private static final int MAX_QUERY_BLOCK = 16 << 20;

    public boolean nativeBlocks() {
        return nativeBlocks != null;
    }

    /** Raw bytes of a native block still arriving (they continue in the bytes to come); empty otherwise. */
    public ByteBuf pendingRaw() {
        return nativeBlocks == null ? io.netty.buffer.Unpooled.EMPTY_BUFFER : nativeBlocks.pending();
    }

    /** A decoder for this encoding, or a ClickHouse-style error for one the gateway cannot read. */
    public static BodyDecoder forEncoding(String encoding) {
        return forEncoding(encoding, Long.MAX_VALUE);
    }

    /**
     * A decoder for this encoding that need decode no more than {@code budget} bytes (the query's), or a
     * ClickHouse-style error for an encoding ClickHouse does not accept either.
     */
    public static BodyDecoder forEncoding(String encoding, long budget) {
        if (PrefixDecoder.handles(encoding)) {
            return new BodyDecoder(new PrefixDecoder(encoding, budget));
        }
        return switch (encoding) {
            case "gzip", "x-gzip" -> new BodyDecoder(new EmbeddedChannel(
                    ZlibCodecFactory.newZlibDecoder(ZlibWrapper.GZIP)));
            case "deflate", "x-deflate" -> new BodyDecoder(new EmbeddedChannel(
                    ZlibCodecFactory.newZlibDecoder(ZlibWrapper.ZLIB_OR_NONE)));
            case "br" -> new BodyDecoder(new EmbeddedChannel(new BrotliDecoder()));
            case "zstd" -> new BodyDecoder(new EmbeddedChannel(new ZstdDecoder()));
            default -> throw new ClickHouseError(ErrorCode.UNKNOWN_COMPRESSION_METHOD,
                    "Unknown compression method " + encoding + " in Content-Encoding (chgate reads gzip, deflate, br,"
                            + " zstd, lz4, xz, bz2 and snappy, as ClickHouse does)");
        };
    }

    /**
     * A pull decoder for a whole body in this encoding, for a reader that may block: the same formats, and for
     * lz4, xz, bz2 and snappy the same decoders, as {@link #forEncoding}.
     */
    public static java.io.InputStream decodingStream(String encoding, java.io.InputStream in) throws java.io.IOException {
        return switch (encoding) {
            case "", "identity" -> in;
            case "gzip", "x-gzip" -> new java.util.zip.GZIPInputStream(in, 1 << 16);
            case "deflate", "x-deflate" -> new java.util.zip.InflaterInputStream(in, new java.util.zip.Inflater(),
                    1 << 16);
            case "br" -> {
                com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
                yield new com.aayushatharva.brotli4j.decoder.BrotliInputStream(in);
            }
            case "zstd" -> new com.github.luben.zstd.ZstdInputStream(in);
            case "lz4", "xz", "bz2", "snappy" -> PrefixDecoder.open(encoding, in);
            default -> throw new ClickHouseError(ErrorCode.UNKNOWN_COMPRESSION_METHOD,
                    "Unknown compression method " + encoding + " in Content-Encoding (chgate reads gzip, deflate, br,"
                            + " zstd, lz4, xz, bz2 and snappy, as ClickHouse does)");
        };
    }

    /** Feeds encoded bytes (ownership passes to the decoder) and hands every decoded buffer to {@code sink}. */
    public void decode(ByteBuf encoded, Consumer<ByteBuf> sink) {
        if (nativeBlocks != null) {
            nativeBlocks.decode(encoded, sink);
            return;
        }
        if (prefix != null) {
            prefix.decode(encoded, sink);
            return;
        }
        try {
            channel.writeInbound(encoded);
        } catch (RuntimeException e) {
            throw new ClickHouseError(ErrorCode.CANNOT_DECOMPRESS,
                    "chgate cannot decode the request body: " + e.getMessage());
        }
        for (ByteBuf decoded = channel.readInbound(); decoded != null; decoded = channel.readInbound()) {
            sink.accept(decoded);
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.finishAndReleaseAll();
            } catch (RuntimeException e) {
                // a decoder that failed reports its error again when finished; it was already answered
            }
        }
    }
}
