package io.chgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

/**
 * Reads ClickHouse's responses just far enough to know where each one ends (RFC 9112 §6.3), and hands them on as the
 * bytes that came. Per response it delivers a {@link ResponseHead}, then the response's bytes as {@link ByteBuf}s —
 * its head and chunk framing included, ready to be written to the client unchanged — then an {@link End}. A receiver
 * that must read the body (to mask an error) calls {@link #decodeBody()} while the head is delivered, and then gets
 * the body's payload alone.
 *
 * <p>Written by hand because Netty's HTTP decoder turns every response into objects (a header map, a wrapper per
 * piece) that its encoder then turns back into the same bytes; a forwarding proxy needs only the framing, and that
 * round trip was the largest single cost of a small query. The state machine resumes at any byte, so a body is never
 * copied; only an incomplete head is gathered.
 */
public final class ResponseFramer extends ChannelDuplexHandler {

    /**
     * Delivered after the last byte of a response; {@code bodyBytes} counts its payload, without chunk framing.
     * {@code reusable} is false when more bytes came right behind it: a server that sends more than it was asked
     * for is not trusted with the next request (they would be read as that request's answer).
     */
    record End(long bodyBytes, boolean reusable) {
    }

    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
    private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("transfer-encoding");
    private static final AsciiString CONNECTION = AsciiString.cached("connection");
    /** A chunk-size line (with extensions) or trailer line longer than this is not one ClickHouse writes. */
    private static final int MAX_LINE = 8192;

    private enum State { HEAD, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER, UNTIL_CLOSE, BROKEN }

    private final int maxHeadBytes;
    private State state = State.HEAD;
    /** The request being answered is a HEAD: its response has no body whatever its headers say. */
    private boolean answeringHead;
    private boolean decodeBody;
    /** The start of a head that has not fully arrived. */
    private ByteBuf pending;
    /** Bytes left in a Content-Length body or in the current chunk. */
    private long remaining;
    private long chunkSize;
    private int chunkSizeDigits;
    private boolean chunkSizeEnded;
    private int lineLength;
    private int trailerBytes;
    private long bodyBytes;
    /** How far into an incomplete head lines were already scanned (a head with progress headers comes in pieces). */
    private int headScanned;

    public ResponseFramer(int maxHeadBytes) {
        this.maxHeadBytes = maxHeadBytes;
    }

    /**
     * Whether every byte handed on so far ends at a chunk boundary of a chunked body (the next chunk's size line not
     * begun): a chunk of chgate's own could be written to the client now.
     */
    boolean betweenChunks() {
        return state == State.CHUNK_SIZE && lineLength == 0;
    }

    /** Asks for the current response's body as payload alone (no head bytes, no chunk framing). */
    void decodeBody() {
        decodeBody = true;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpRequest request) {
            answeringHead = HttpMethod.HEAD.equals(request.method());
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf received)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = received;
        if (pending != null) {
            in = pending.writeBytes(received);
            received.release();
            pending = null;
        }
        try {
            if (state == State.BROKEN) {
                return;
            }
            frame(ctx, in);
        } catch (CorruptedFrameException e) {
            state = State.BROKEN;
            ctx.fireExceptionCaught(e);
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.UNTIL_CLOSE) {
            // The end of the connection is the end of this body; every byte of it was handed on as it came.
            state = State.HEAD;
            ctx.fireChannelRead(new End(bodyBytes, false));
        }
        releasePending();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePending();
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    private void frame(ChannelHandlerContext ctx, ByteBuf in) {
        int run = in.readerIndex();   // the first byte not handed on yet (raw mode)
        while (in.isReadable()) {
            switch (state) {
                case HEAD -> {
                    int at = skipBlankLines(in);
                    run = Math.max(run, at);
                    if (!in.isReadable()) {
                        break;
                    }
                    int end = headEnd(in, at);
                    if (end >= 0) {
                        headScanned = 0;
                    } else {
                        if (in.readableBytes() > maxHeadBytes) {
                            throw broken("its head is longer than " + maxHeadBytes + " bytes");
                        }
                        pending = ctx.alloc().buffer(Math.max(1024, in.readableBytes() * 2));
                        pending.writeBytes(in);
                        return;
                    }
                    if (end - at > maxHeadBytes) {
                        throw broken("its head is longer than " + maxHeadBytes + " bytes");
                    }
                    ResponseHead head = readHead(in, at, end);
                    in.readerIndex(end);
                    if (head == null) {
                        run = end;   // an interim 1xx answer: chgate never forwards Expect, so the client wants none
                        continue;
                    }
                    decodeBody = false;
                    bodyBytes = 0;
                    ctx.fireChannelRead(head);
                    head.delivered();
                    if (decodeBody) {
                        run = end;
                    }
                    if (state == State.HEAD) {
                        run = endResponse(ctx, in, run);
                    }
                }
                case LENGTH, CHUNK_DATA, UNTIL_CLOSE -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    if (decodeBody) {
                        ctx.fireChannelRead(in.retainedSlice(in.readerIndex(), n));
                    }
                    in.skipBytes(n);
                    bodyBytes += n;
                    if (state != State.UNTIL_CLOSE) {
                        remaining -= n;
                        if (remaining == 0 && state == State.LENGTH) {
                            state = State.HEAD;
                            run = endResponse(ctx, in, run);
                        } else if (remaining == 0) {
                            state = State.CHUNK_DATA_END;
                        }
                    }
                }
                case CHUNK_SIZE -> readChunkSize(in);
                case CHUNK_DATA_END -> {
                    // As Netty reads it: whatever precedes the line feed after a chunk's data is its delimiter.
                    int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
                    if (lf < 0) {
                        in.skipBytes(in.readableBytes());
                    } else {
                        in.readerIndex(lf + 1);
                        startChunkSize();
                    }
                }
                case TRAILER -> {
                    if (readTrailer(in)) {
                        state = State.HEAD;
                        run = endResponse(ctx, in, run);
                    }
                }
                case BROKEN -> {
                    return;
                }
            }
        }
        if (!decodeBody && in.readerIndex() > run) {
            ctx.fireChannelRead(in.retainedSlice(run, in.readerIndex() - run));
        }
    }

    /** Hands on what is left of the response and its end; returns where the next response's bytes start. */
    private int endResponse(ChannelHandlerContext ctx, ByteBuf in, int run) {
        int end = in.readerIndex();
        if (!decodeBody && end > run) {
            ctx.fireChannelRead(in.retainedSlice(run, end - run));
        }
        decodeBody = false;
        answeringHead = false;
        ctx.fireChannelRead(new End(bodyBytes, !in.isReadable()));
        return end;
    }

    private void startChunkSize() {
        state = State.CHUNK_SIZE;
        chunkSize = 0;
        chunkSizeDigits = 0;
        chunkSizeEnded = false;
        lineLength = 0;
    }

    /** A chunk-size line as Netty reads one: optional leading blanks, hex digits, then ';', a blank or a control ends them. */
    private void readChunkSize(ByteBuf in) {
        int i = in.readerIndex();
        int limit = in.writerIndex();
        for (; i < limit; i++) {
            byte b = in.getByte(i);
            if (++lineLength > MAX_LINE) {
                throw broken("a chunk-size line is longer than " + MAX_LINE + " bytes");
            }
            if (b == '\n') {
                if (chunkSizeDigits == 0) {
                    throw broken("a chunk has no size");
                }
                in.readerIndex(i + 1);
                if (chunkSize == 0) {
                    state = State.TRAILER;
                    lineLength = 0;
                    trailerBytes = 0;
                } else {
                    state = State.CHUNK_DATA;
                    remaining = chunkSize;
                }
                return;
            }
            if (chunkSizeEnded) {
                continue;
            }
            int digit = Character.digit(b, 16);
            if (digit >= 0 && b < 0x80) {
                chunkSize = chunkSize * 16 + digit;
                chunkSizeDigits++;
                if (chunkSize > Integer.MAX_VALUE) {
                    throw broken("a chunk size is too large");
                }
            } else if (chunkSizeDigits == 0 && (b == ' ' || b == '\t')) {
                continue;   // leading blanks
            } else if (b == ';' || b == ' ' || b == '\t' || b < 0x20 || b == 0x7f) {
                if (chunkSizeDigits == 0) {
                    throw broken("a chunk has no size");
                }
                chunkSizeEnded = true;
            } else {
                throw broken("a chunk size is not hexadecimal");
            }
        }
        in.readerIndex(limit);
    }

    /** Reads trailer lines; true once the empty line that ends them (and the response) was read. */
    private boolean readTrailer(ByteBuf in) {
        int i = in.readerIndex();
        int limit = in.writerIndex();
        for (; i < limit; i++) {
            byte b = in.getByte(i);
            if (++trailerBytes > MAX_LINE) {
                throw broken("its trailer is longer than " + MAX_LINE + " bytes");
            }
            if (b == '\n') {
                if (lineLength == 0) {
                    in.readerIndex(i + 1);
                    return true;
                }
                lineLength = 0;
            } else if (b != '\r') {
                lineLength++;
            }
        }
        in.readerIndex(limit);
        return false;
    }

    /** Skips line breaks before a status line, as HTTP allows; returns where the head starts. */
    private static int skipBlankLines(ByteBuf in) {
        int i = in.readerIndex();
        while (i < in.writerIndex() && (in.getByte(i) == '\r' || in.getByte(i) == '\n')) {
            i++;
        }
        in.readerIndex(i);
        return i;
    }

    /** The index just past the empty line ending the head that starts at {@code from}, or -1 if it has not all come. */
    private int headEnd(ByteBuf in, int from) {
        int line = from + headScanned;
        int limit = in.writerIndex();
        while (true) {
            int lf = in.indexOf(line, limit, (byte) '\n');
            if (lf < 0) {
                headScanned = line - from;
                return -1;
            }
            if (lf > from && (lf == line || lf == line + 1 && in.getByte(line) == '\r')) {
                return lf + 1;
            }
            line = lf + 1;
        }
    }

    /**
     * Reads the status line and the headers that decide the framing, and sets the body's state; null for an interim
     * (1xx) response, which has no body.
     */
    private ResponseHead readHead(ByteBuf in, int start, int end) {
        int lf = in.indexOf(start, end, (byte) '\n');
        int lineEnd = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        // "HTTP/1.x SSS[ reason]"
        if (lineEnd - start < 12 || !startsWith(in, start, "HTTP/1.") || in.getByte(start + 8) != ' '
                || (lineEnd > start + 12 && in.getByte(start + 12) != ' ')) {
            throw broken("its status line is not HTTP/1.x");
        }
        byte minor = in.getByte(start + 7);
        if (minor != '0' && minor != '1') {
            throw broken("its status line is not HTTP/1.0 or HTTP/1.1");
        }
        int status = 0;
        for (int i = start + 9; i < start + 12; i++) {
            byte d = in.getByte(i);
            if (d < '0' || d > '9') {
                throw broken("its status code is not a number");
            }
            status = status * 10 + d - '0';
        }
        if (status < 100) {
            throw broken("its status code is not a number");
        }
        if (status == 101) {
            throw broken("it switched protocols");
        }
        if (status < 200) {
            return null;
        }

        long contentLength = -1;
        boolean transferEncoding = false;
        boolean chunked = false;
        boolean close = false;
        boolean keepAliveToken = false;
        int line = lf + 1;
        while (line < end) {
            int next = in.indexOf(line, end, (byte) '\n');
            int stop = next > line && in.getByte(next - 1) == '\r' ? next - 1 : next;
            if (stop == line) {
                break;
            }
            int colon = in.indexOf(line, stop, (byte) ':');
            if (colon > line) {
                int nameEnd = colon;
                while (nameEnd > line && isBlank(in.getByte(nameEnd - 1))) {
                    nameEnd--;
                }
                if (nameIs(in, line, nameEnd, CONTENT_LENGTH)) {
                    if (contentLength >= 0) {
                        // Refused even when they agree, as Netty's decoder and ClickHouse's own server do.
                        throw broken("it has more than one Content-Length header");
                    }
                    contentLength = parseLength(in, colon + 1, stop);
                } else if (nameIs(in, line, nameEnd, TRANSFER_ENCODING)) {
                    transferEncoding = true;
                    chunked = lastTokenIs(in, colon + 1, stop, "chunked");
                } else if (nameIs(in, line, nameEnd, CONNECTION)) {
                    close |= hasToken(in, colon + 1, stop, "close");
                    keepAliveToken |= hasToken(in, colon + 1, stop, "keep-alive");
                }
            }
            line = next + 1;
        }

        if (answeringHead || status == 204 || status == 304) {
            state = State.HEAD;
        } else if (transferEncoding) {
            // A response that has both is framed by Transfer-Encoding (RFC 9112 §6.3, 3).
            if (chunked) {
                startChunkSize();
            } else {
                state = State.UNTIL_CLOSE;
            }
        } else if (contentLength > 0) {
            state = State.LENGTH;
            remaining = contentLength;
        } else if (contentLength == 0) {
            state = State.HEAD;
        } else {
            state = State.UNTIL_CLOSE;
        }
        remaining = state == State.UNTIL_CLOSE ? Long.MAX_VALUE : remaining;
        boolean http10 = minor == '0';
        boolean keepAlive = (http10 ? keepAliveToken : !close) && state != State.UNTIL_CLOSE;
        return new ResponseHead(status, keepAlive, http10, in, start, end);
    }

    private static boolean startsWith(ByteBuf in, int at, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (in.getByte(at + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    /** Whether {@code in[from, to)} is {@code lower}, ignoring ASCII case. */
    private static boolean nameIs(ByteBuf in, int from, int to, CharSequence lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            byte b = in.getByte(from + i);
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long parseLength(ByteBuf in, int from, int to) {
        while (from < to && isBlank(in.getByte(from))) {
            from++;
        }
        while (to > from && isBlank(in.getByte(to - 1))) {
            to--;
        }
        if (from == to || to - from > 18) {
            throw broken("its Content-Length is not a length");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            byte d = in.getByte(i);
            if (d < '0' || d > '9') {
                throw broken("its Content-Length is not a length");
            }
            value = value * 10 + d - '0';
        }
        return value;
    }

    /** Whether a comma-separated header value holds {@code token} (case-insensitive). */
    private static boolean hasToken(ByteBuf in, int from, int to, String token) {
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || in.getByte(i) == ',') {
                if (tokenEquals(in, start, i, token)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** Whether the last token of a comma-separated header value is {@code token} (case-insensitive). */
    private static boolean lastTokenIs(ByteBuf in, int from, int to, String token) {
        int comma = in.indexOf(to, from, (byte) ',');   // searching backwards
        return tokenEquals(in, comma < 0 ? from : comma + 1, to, token);
    }

    private static boolean tokenEquals(ByteBuf in, int from, int to, String token) {
        while (from < to && isBlank(in.getByte(from))) {
            from++;
        }
        while (to > from && isBlank(in.getByte(to - 1))) {
            to--;
        }
        return nameIs(in, from, to, token);
    }

    private static CorruptedFrameException broken(String why) {
        return new CorruptedFrameException("chgate cannot read ClickHouse's response: " + why);
    }
}
