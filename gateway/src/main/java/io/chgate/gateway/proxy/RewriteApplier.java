package io.chgate.gateway.proxy;

import io.chgate.gateway.codec.NativeBlocks;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Applies a verdict to a request: the head and first body bytes that go upstream, from the head as received and the
 * query as captured. A passed query goes on byte for byte; a rewritten one goes where ClickHouse reads it first, the
 * body's length and encoding adjusted to match. Only buffers change hands: nothing here writes to a socket.
 */
final class RewriteApplier {
    /**
     * Values data is parsed by literal, and by constant-expression template (which refuses subqueries), never
     * interpreted as SQL: measured on ClickHouse 26.7; on 18.16 it means literals only.
     */
    static final String VALUES_EXPRESSIONS_OFF = "input_format_values_interpret_expressions=0";

    private RewriteApplier() {
    }

    /**
     * The request as the client sent it.
     *
     * @param capture the query read from the body, or null when it was in the URL
     * @param valuesDataUnread an INSERT ... VALUES whose data streams on unread: it goes with expressions off
     */
    static Outgoing pass(HttpRequest head, RequestFacts facts, QueryCapture capture, boolean valuesDataUnread) {
        HttpRequest outgoing = facts.expectsContinue ? copyHead(head, head.uri()) : head;
        List<ByteBuf> bodyStart = List.of();
        if (capture != null && capture.body() != null) {
            bodyStart = capture.body().takeRaw();
        } else if (capture != null) {
            bodyStart = List.of(capture.form().takeRaw());
        }
        return new Outgoing(valuesExpressionsOff(outgoing, valuesDataUnread), bodyStart, false);
    }

    /**
     * The request with {@code sql} in place of the client's query.
     *
     * @param bodyReceived the whole body is already in (an encoded body has no rest left to decode)
     * @throws ClickHouseError when the query cannot be put back: in a body whose encoding chgate reads only the start
     *     of; nothing was taken from {@code capture} then
     */
    static Outgoing rewrite(HttpRequest head, RequestFacts facts, QueryCapture capture, String sql,
            boolean bodyReceived, boolean valuesDataUnread) {
        HttpRequest outgoing;
        List<ByteBuf> bodyStart = List.of();
        boolean decodeRest = false;
        if (capture != null && capture.form() != null) {
            // The whole query goes into the URL, which ClickHouse reads first; the form's query fields are
            // emptied, so nothing is appended to it.
            FormQuery form = capture.form();
            outgoing = copyHead(head, QueryUri.withQuery(head.uri(), sql));
            bodyStart = form.takeWithoutQueryFields();
            if (outgoing.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                outgoing.headers().set(HttpHeaderNames.CONTENT_LENGTH,
                        HttpUtil.getContentLength(head, 0L) - form.queryFieldBytes());
            }
        } else if (capture == null) {
            outgoing = copyHead(head, QueryUri.withQuery(head.uri(), sql));
        } else {
            BodyQueryBuffer body = capture.body();
            if (!body.streamingDecoder()) {
                throw new ClickHouseError(ErrorCode.UNKNOWN_COMPRESSION_METHOD, "chgate cannot rewrite a query inside"
                        + " a body with Content-Encoding " + facts.contentEncoding + "; send the query in the URL or"
                        + " use gzip, deflate, br or zstd");
            }
            // The whole query moves into the body (ClickHouse reads URL query + newline + body as one text, so a
            // query the client split between the two is equivalent to the whole of it in the body).
            outgoing = copyHead(head, facts.urlQuery == null ? head.uri() : QueryUri.withQuery(head.uri(), null));
            decodeRest = body.encoded() && !body.nativeBlocks() && !bodyReceived;
            bodyStart = intoBody(body, sql.getBytes(StandardCharsets.UTF_8), head, outgoing.headers());
        }
        return new Outgoing(valuesExpressionsOff(outgoing, valuesDataUnread), bodyStart, decodeRest);
    }

    /** The body's start with the query replaced by {@code sql}, the head's length and encoding made to match. */
    private static List<ByteBuf> intoBody(BodyQueryBuffer body, byte[] sql, HttpRequest received,
            HttpHeaders headers) {
        ByteBuf rest = body.takeDataRemainder();
        List<ByteBuf> bodyStart;
        if (body.nativeBlocks()) {
            // Re-encoded into fresh blocks with correct checksums; the block still arriving and everything after
            // it pass on as they came, since they begin at a block boundary.
            byte[] plain = new byte[sql.length + rest.readableBytes()];
            System.arraycopy(sql, 0, plain, 0, sql.length);
            rest.readBytes(plain, sql.length, rest.readableBytes());
            rest.release();
            ByteBuf encoded = Unpooled.wrappedBuffer(NativeBlocks.encode(plain));
            ByteBuf pending = body.pendingRaw();
            if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                long consumed = body.rawBytes() - pending.readableBytes();
                headers.set(HttpHeaderNames.CONTENT_LENGTH, HttpUtil.getContentLength(received, 0L) - consumed
                        + encoded.readableBytes());
            }
            bodyStart = List.of(encoded, pending);
        } else {
            if (body.encoded()) {
                headers.remove(HttpHeaderNames.CONTENT_ENCODING);
                headers.remove(HttpHeaderNames.CONTENT_LENGTH);
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                long original = HttpUtil.getContentLength(received, 0L);
                long queryBytesInBody = body.rawBytes() - rest.readableBytes();
                headers.set(HttpHeaderNames.CONTENT_LENGTH, original - queryBytesInBody + sql.length);
            }
            bodyStart = List.of(Unpooled.wrappedBuffer(sql), rest);
        }
        body.takeRaw().forEach(ByteBuf::release);
        return bodyStart;
    }

    private static HttpRequest valuesExpressionsOff(HttpRequest head, boolean valuesDataUnread) {
        return valuesDataUnread ? copyHead(head, QueryUri.withParameter(head.uri(), VALUES_EXPRESSIONS_OFF)) : head;
    }

    /** A copy of the head with another URI; without {@code Expect}, which the gateway answered itself. */
    private static HttpRequest copyHead(HttpRequest from, String uri) {
        HttpRequest copy = new DefaultHttpRequest(from.protocolVersion(), from.method(), uri, from.headers().copy());
        copy.headers().remove(HttpHeaderNames.EXPECT);
        return copy;
    }
}
