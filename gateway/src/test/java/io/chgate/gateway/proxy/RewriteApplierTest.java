package io.chgate.gateway.proxy;

import io.chgate.gateway.codec.BodyDecoder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chgate.gateway.codec.NativeBlocks;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The verdict applied to a head and a captured query, without a socket: what goes upstream must be the request the
 * client sent with only the query changed, its framing (Content-Length, encoding, native blocks) still true.
 */
class RewriteApplierTest {
    static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void aPassedUrlQueryGoesOnAsTheVerySameHead() {
        HttpRequest head = get("/?query=SELECT%201");
        Outgoing out = RewriteApplier.pass(head, new RequestFacts(head), null, false);
        assertThat(out.head()).isSameAs(head);
        assertThat(out.bodyStart()).isEmpty();
        assertThat(out.decodeRest()).isFalse();
    }

    @Test
    void anExpectAnsweredByTheGatewayIsNotPassedOn() {
        HttpRequest head = post("/?query=INSERT%20INTO%20t%20FORMAT%20CSV", 4);
        head.headers().set(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE);
        Outgoing out = RewriteApplier.pass(head, new RequestFacts(head), null, false);
        assertThat(out.head()).isNotSameAs(head);
        assertThat(out.head().headers().contains(HttpHeaderNames.EXPECT)).isFalse();
        assertThat(out.head().uri()).isEqualTo(head.uri());
        assertThat(head.headers().contains(HttpHeaderNames.EXPECT)).isTrue();
    }

    @Test
    void valuesDataStreamingOnUnreadGoesWithExpressionsOff() {
        HttpRequest head = post("/?query=INSERT%20INTO%20t%20VALUES", 7);
        Outgoing out = RewriteApplier.pass(head, new RequestFacts(head), null, true);
        assertThat(out.head().uri()).isEqualTo("/?query=INSERT%20INTO%20t%20VALUES"
                + "&input_format_values_interpret_expressions=0");
    }

    @Test
    void aRewrittenUrlQueryReplacesOnlyTheQueryParameter() {
        HttpRequest head = get("/?database=d&query=SELECT%201&default_format=JSON");
        Outgoing out = RewriteApplier.rewrite(head, new RequestFacts(head), null, "SELECT 2", true, false);
        assertThat(out.head().uri()).isEqualTo("/?database=d&query=SELECT%202&default_format=JSON");
        assertThat(head.uri()).isEqualTo("/?database=d&query=SELECT%201&default_format=JSON");
    }

    @Test
    void aPassedBodyGoesOnAsTheBytesReceived() {
        String body = "INSERT INTO t FORMAT CSV\n1,2\n";
        HttpRequest head = post("/", body.length());
        RequestFacts facts = new RequestFacts(head);
        QueryCapture capture = captured(facts, body);
        Outgoing out = RewriteApplier.pass(head, facts, capture, false);
        assertThat(out.head()).isSameAs(head);
        assertThat(text(out.bodyStart())).isEqualTo(body);
        capture.close();
    }

    @Test
    void aRewrittenQueryInAContentLengthBodyKeepsItsDataAndATrueLength() {
        String body = "INSERT INTO t FORMAT CSV\n1,2\n";
        HttpRequest head = post("/", body.length());
        RequestFacts facts = new RequestFacts(head);
        QueryCapture capture = captured(facts, body);
        String sql = "INSERT INTO much_longer_table FORMAT CSV\n";
        Outgoing out = RewriteApplier.rewrite(head, facts, capture, sql, true, false);
        String sent = text(out.bodyStart());
        assertThat(sent).isEqualTo(sql + "1,2\n");
        assertThat(out.head().headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(sent.length());
        assertThat(head.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(body.length());
        assertThat(out.decodeRest()).isFalse();
        capture.close();
    }

    @Test
    void aContentLengthCountsTheBodyStillToComeAsWell() {
        String received = "INSERT INTO t FORMAT CSV\n1,2\n";
        int total = received.length() + 1000;   // the rest of the data is still on its way
        HttpRequest head = post("/", total);
        RequestFacts facts = new RequestFacts(head);
        QueryCapture capture = QueryCapture.body(ALLOC, facts, 1 << 20);
        assertThat(capture.append(bytes(received), false)).isTrue();
        Outgoing out = RewriteApplier.rewrite(head, facts, capture, "INSERT INTO u FORMAT CSV\n", false, false);
        assertThat(out.head().headers().getInt(HttpHeaderNames.CONTENT_LENGTH))
                .isEqualTo(total - "INSERT INTO t FORMAT CSV\n".length() + "INSERT INTO u FORMAT CSV\n".length());
        release(out);
        capture.close();
    }

    @Test
    void aChunkedBodyStaysChunkedWithoutALength() {
        String body = "SELECT 1";
        HttpRequest head = post("/", -1);
        RequestFacts facts = new RequestFacts(head);
        QueryCapture capture = captured(facts, body);
        Outgoing out = RewriteApplier.rewrite(head, facts, capture, "SELECT 22", true, false);
        assertThat(text(out.bodyStart())).isEqualTo("SELECT 22");
        assertThat(out.head().headers().contains(HttpHeaderNames.CONTENT_LENGTH)).isFalse();
        assertThat(out.head().headers().get(HttpHeaderNames.TRANSFER_ENCODING)).isEqualTo("chunked");
        capture.close();
    }

    @Test
    void aQuerySplitBetweenUrlAndBodyMovesWholeIntoTheBody() {
        String body = "FORMAT CSV\n1,2\n";
        HttpRequest head = post("/?query=INSERT%20INTO%20t&database=d", body.length());
        RequestFacts facts = new RequestFacts(head);
        assertThat(QueryCapture.locate(facts)).isEqualTo(QueryCapture.Where.BODY);
        QueryCapture capture = captured(facts, body);
        assertThat(capture.sql()).isEqualTo("INSERT INTO t\nFORMAT CSV\n");
        Outgoing out = RewriteApplier.rewrite(head, facts, capture, "INSERT INTO u FORMAT CSV\n", true, false);
        assertThat(out.head().uri()).isEqualTo("/?database=d");
        assertThat(text(out.bodyStart())).isEqualTo("INSERT INTO u FORMAT CSV\n1,2\n");
        assertThat(out.head().headers().getInt(HttpHeaderNames.CONTENT_LENGTH))
                .isEqualTo("INSERT INTO u FORMAT CSV\n1,2\n".length());
        capture.close();
    }

    @Test
    void aRewrittenQueryInAGzipBodyGoesOnDecodedAndChunked() throws Exception {
        byte[] gzip = gzip("INSERT INTO t FORMAT CSV\n1,2\n");
        HttpRequest head = post("/", gzip.length);
        head.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
        RequestFacts facts = new RequestFacts(head);
        QueryCapture capture = QueryCapture.body(ALLOC, facts, 1 << 20);
        assertThat(capture.append(Unpooled.wrappedBuffer(gzip), false)).isTrue();
        Outgoing out = RewriteApplier.rewrite(head, facts, capture, "INSERT INTO u FORMAT CSV\n", false, false);
        assertThat(out.decodeRest()).isTrue();
        assertThat(out.head().headers().contains(HttpHeaderNames.CONTENT_ENCODING)).isFalse();
        assertThat(out.head().headers().contains(HttpHeaderNames.CONTENT_LENGTH)).isFalse();
        assertThat(out.head().headers().get(HttpHeaderNames.TRANSFER_ENCODING)).isEqualTo("chunked");
        assertThat(text(out.bodyStart())).isEqualTo("INSERT INTO u FORMAT CSV\n1,2\n");
        capture.close();
    }

    @Test
    void anEncodedBodyReceivedWholeHasNothingLeftToDecode() throws Exception {
        byte[] gzip = gzip("SELECT 1");
        HttpRequest head = post("/", gzip.length);
        head.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
        RequestFacts facts = new RequestFacts(head);
        QueryCapture capture = QueryCapture.body(ALLOC, facts, 1 << 20);
        assertThat(capture.append(Unpooled.wrappedBuffer(gzip), true)).isTrue();
        Outgoing out = RewriteApplier.rewrite(head, facts, capture, "SELECT 2", true, false);
        assertThat(out.decodeRest()).isFalse();
        assertThat(text(out.bodyStart())).isEqualTo("SELECT 2");
        capture.close();
    }

    @Test
    void aRewrittenQueryInNativeBlocksIsReEncodedWithATrueLength() {
        String plain = "INSERT INTO t FORMAT CSV\n1,2\n";
        byte[] blocks = NativeBlocks.encode(plain.getBytes(StandardCharsets.UTF_8));
        HttpRequest head = post("/?decompress=1", blocks.length);
        RequestFacts facts = new RequestFacts(head);
        QueryCapture capture = QueryCapture.body(ALLOC, facts, 1 << 20);
        assertThat(capture.append(Unpooled.wrappedBuffer(blocks), true)).isTrue();
        Outgoing out = RewriteApplier.rewrite(head, facts, capture, "INSERT INTO u FORMAT CSV\n", true, false);
        assertThat(out.decodeRest()).isFalse();
        byte[] sent = bytesOf(out.bodyStart());
        assertThat(out.head().headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(sent.length);
        BodyDecoder decoder = BodyDecoder.forNativeBlocks(1 << 20);
        List<ByteBuf> decoded = new ArrayList<>();
        decoder.decode(Unpooled.wrappedBuffer(sent), decoded::add);
        assertThat(text(decoded)).isEqualTo("INSERT INTO u FORMAT CSV\n1,2\n");
        decoder.close();
        capture.close();
    }

    @Test
    void aQueryInABodyReadOnlyAsFarAsItsStartCannotBeRewrittenAndNothingIsTaken() {
        HttpRequest head = post("/", 100);
        head.headers().set(HttpHeaderNames.CONTENT_ENCODING, "lz4");
        RequestFacts facts = new RequestFacts(head);
        QueryCapture capture = QueryCapture.body(ALLOC, facts, 1 << 20);
        assertThatThrownBy(() -> RewriteApplier.rewrite(head, facts, capture, "SELECT 2", false, false))
                .isInstanceOfSatisfying(ClickHouseError.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_COMPRESSION_METHOD));
        capture.close();
    }

    @Test
    void aRewrittenFormQueryGoesIntoTheUrlAndItsFieldsAreEmptied() {
        String form = "--b\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\nSELECT 1\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"t_structure\"\r\n\r\nx UInt8\r\n--b--\r\n";
        HttpRequest head = post("/?database=d", form.length());
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "multipart/form-data; boundary=b");
        RequestFacts facts = new RequestFacts(head);
        assertThat(QueryCapture.locate(facts)).isEqualTo(QueryCapture.Where.FORM);
        QueryCapture capture = QueryCapture.form(ALLOC, facts, 1 << 20, SettingsStage.DEFAULT);
        assertThat(capture.append(bytes(form), true)).isTrue();
        assertThat(capture.sql()).isEqualTo("SELECT 1");
        Outgoing out = RewriteApplier.rewrite(head, facts, capture, "SELECT 2", true, false);
        assertThat(out.head().uri()).isEqualTo("/?database=d&query=SELECT%202");
        String sent = text(out.bodyStart());
        assertThat(sent).isEqualTo(form.replace("SELECT 1", ""));
        assertThat(out.head().headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(sent.length());
        capture.close();
    }

    static HttpRequest get(String uri) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    /** A POST with this Content-Length, or chunked when it is negative. */
    static HttpRequest post(String uri, int contentLength) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
        if (contentLength < 0) {
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else {
            head.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        }
        return head;
    }

    static QueryCapture captured(RequestFacts facts, String body) {
        QueryCapture capture = QueryCapture.body(ALLOC, facts, 1 << 20);
        assertThat(capture.append(bytes(body), true)).isTrue();
        return capture;
    }

    static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** The bytes of the pieces, released. */
    static byte[] bytesOf(List<ByteBuf> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf piece : pieces) {
            byte[] b = new byte[piece.readableBytes()];
            piece.readBytes(b);
            out.writeBytes(b);
            piece.release();
        }
        return out.toByteArray();
    }

    static String text(List<ByteBuf> pieces) {
        return new String(bytesOf(pieces), StandardCharsets.UTF_8);
    }

    static void release(Outgoing out) {
        out.bodyStart().forEach(ByteBuf::release);
    }
}
