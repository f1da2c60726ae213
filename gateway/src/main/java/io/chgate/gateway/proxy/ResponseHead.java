package io.chgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * The head of an upstream response as {@link ResponseFramer} found it: the status and whether the connection stays
 * open are read eagerly; a header is looked up only when asked for, in the head's own bytes, which are valid only
 * while the head is being delivered (a forwarded response never needs its headers as objects).
 */
final class ResponseHead {
    private final int status;
    private final boolean keepAlive;
    private final boolean http10;
    private ByteBuf bytes;
    private final int start;
    private final int end;

    ResponseHead(int status, boolean keepAlive, boolean http10, ByteBuf bytes, int start, int end) {
        this.status = status;
        this.keepAlive = keepAlive;
        this.http10 = http10;
        this.bytes = bytes;
        this.start = start;
        this.end = end;
    }

    int status() {
        return status;
    }

    /** The connection can carry another request after this response: the server allows it and the body has an end. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** The first value of a header, or null; only while the head is being delivered. */
    String header(AsciiString name) {
        String[] found = new String[1];
        forEachHeader((n, v) -> {
            if (found[0] == null && n.contentEqualsIgnoreCase(name)) {
                found[0] = v;
            }
        });
        return found[0];
    }

    /** The head as a Netty response, for a response chgate re-encodes; only while the head is being delivered. */
    HttpResponse toHttpResponse() {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        forEachHeader((n, v) -> headers.add(n, v));
        String line = statusLine();
        int reasonAt = line.indexOf(' ', line.indexOf(' ') + 1);
        String reason = reasonAt < 0 ? "" : line.substring(reasonAt + 1);
        return new DefaultHttpResponse(http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1,
                new HttpResponseStatus(status, reason), headers);
    }

    /** Called once the head has been delivered: its bytes may be gone after that. */
    void delivered() {
        bytes = null;
    }

    private String statusLine() {
        int lf = indexOfLf(start);
        return bytes.toString(start, trimCr(start, lf) - start, StandardCharsets.ISO_8859_1);
    }

    private interface HeaderVisitor {
        void visit(AsciiString name, String value);
    }

    private void forEachHeader(HeaderVisitor visitor) {
        if (bytes == null) {
            throw new IllegalStateException("the response head was already delivered");
        }
        int line = indexOfLf(start) + 1;
        while (line < end) {
            int lf = indexOfLf(line);
            int lineEnd = trimCr(line, lf);
            if (lineEnd == line) {
                return;
            }
            int colon = bytes.indexOf(line, lineEnd, (byte) ':');
            if (colon > line) {
                AsciiString name = new AsciiString(ByteBufUtil.getBytes(bytes, line, colon - line), false);
                visitor.visit(name.trim(), bytes.toString(colon + 1, lineEnd - colon - 1,
                        StandardCharsets.ISO_8859_1).trim());
            }
            line = lf + 1;
        }
    }

    private int indexOfLf(int from) {
        int lf = bytes.indexOf(from, end, (byte) '\n');
        return lf < 0 ? end - 1 : lf;
    }

    private int trimCr(int lineStart, int lf) {
        return lf > lineStart && bytes.getByte(lf - 1) == '\r' ? lf - 1 : lf;
    }
}
