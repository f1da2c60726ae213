package io.chgate.gateway.proxy;

import static io.chgate.gateway.proxy.RewriteApplierTest.ALLOC;
import static io.chgate.gateway.proxy.RewriteApplierTest.bytes;
import static io.chgate.gateway.proxy.RewriteApplierTest.get;
import static io.chgate.gateway.proxy.RewriteApplierTest.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.intercept.InterceptedQuery;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import org.junit.jupiter.api.Test;

class QueryCaptureTest {

    @Test
    void whereTheQueryIs() {
        assertThat(where(get("/ping"))).isEqualTo(QueryCapture.Where.NONE);
        assertThat(where(get("/"))).isEqualTo(QueryCapture.Where.NONE);
        assertThat(where(get("/?query=SELECT%201"))).isEqualTo(QueryCapture.Where.URL);
        // The URL's query ends where its data begins: the body is data.
        assertThat(where(post("/?query=INSERT%20INTO%20t%20FORMAT%20CSV", 4))).isEqualTo(QueryCapture.Where.URL);
        // The URL's query goes on in the body.
        assertThat(where(post("/?query=SELECT", 4))).isEqualTo(QueryCapture.Where.BODY);
        assertThat(where(post("/", 4))).isEqualTo(QueryCapture.Where.BODY);
        HttpRequest form = post("/", 10);
        form.headers().set(HttpHeaderNames.CONTENT_TYPE, "multipart/form-data; boundary=b");
        assertThat(where(form)).isEqualTo(QueryCapture.Where.FORM);
    }

    @Test
    void aFormWithoutBoundaryOrCompressedIsRefused() {
        HttpRequest noBoundary = post("/", 10);
        noBoundary.headers().set(HttpHeaderNames.CONTENT_TYPE, "multipart/form-data");
        assertThatThrownBy(() -> where(noBoundary)).isInstanceOfSatisfying(ClickHouseError.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENTS));
        HttpRequest gzip = post("/", 10);
        gzip.headers().set(HttpHeaderNames.CONTENT_TYPE, "multipart/form-data; boundary=b")
                .set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
        assertThatThrownBy(() -> where(gzip)).isInstanceOfSatisfying(ClickHouseError.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_COMPRESSION_METHOD));
    }

    @Test
    void valuesDataInTheBodyIsSeenWhereverTheQueryIs() {
        assertThat(QueryCapture.valuesDataFollowsUrl(new RequestFacts(post("/?query=INSERT%20INTO%20t%20VALUES", 7))))
                .isTrue();
        assertThat(QueryCapture.valuesDataFollowsUrl(new RequestFacts(
                post("/?query=INSERT%20INTO%20t%20FORMAT%20CSV", 4)))).isFalse();
        QueryCapture capture = QueryCapture.body(ALLOC, new RequestFacts(post("/", 30)), 1 << 20);
        assertThat(capture.append(bytes("INSERT INTO t VALUES (1)"), true)).isTrue();
        assertThat(capture.valuesData()).isTrue();
        assertThat(capture.location()).isEqualTo(InterceptedQuery.Location.BODY);
        capture.close();
        capture.close();   // again: nothing is released twice
    }

    @Test
    void aBodyQueryIsReadAcrossPiecesUpToWhereItsDataBegins() {
        QueryCapture capture = QueryCapture.body(ALLOC, new RequestFacts(post("/", -1)), 1 << 20);
        assertThat(capture.append(bytes("INSERT INTO t FOR"), false)).isFalse();
        assertThat(capture.append(bytes("MAT CSV\n1,2\n"), false)).isTrue();
        assertThat(capture.sql()).isEqualTo("INSERT INTO t FORMAT CSV\n");
        capture.close();
    }

    @Test
    void aQueryLargerThanTheLimitIsRefusedAndItsBytesReleased() {
        QueryCapture capture = QueryCapture.body(ALLOC, new RequestFacts(post("/", -1)), 16);
        ByteBuf piece = bytes("SELECT 1 + 1 + 1 + 1 + 1");
        assertThatThrownBy(() -> capture.append(piece, false)).isInstanceOfSatisfying(ClickHouseError.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.QUERY_IS_TOO_LARGE));
        capture.close();
        assertThat(piece.refCnt()).isZero();
    }

    @Test
    void aFormQueryFieldPastTheHeldStartIsRefusedAsItGoesBy() {
        HttpRequest head = post("/?query=SELECT%20*%20FROM%20t", -1);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "multipart/form-data; boundary=b");
        QueryCapture capture = QueryCapture.form(ALLOC, new RequestFacts(head), 64, SettingsStage.DEFAULT);
        String file = "--b\r\nContent-Disposition: form-data; name=\"t\"; filename=\"t.csv\"\r\n\r\n"
                + "1\n".repeat(40);
        assertThat(capture.append(bytes(file), false)).isTrue();
        assertThat(capture.location()).isEqualTo(InterceptedQuery.Location.URL);
        assertThat(capture.sql()).isEqualTo("SELECT * FROM t");
        capture.afterVerdict(false);
        ByteBuf late = bytes("\r\n--b\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n, (SELECT 2)\r\n--b--\r\n");
        assertThatThrownBy(() -> capture.watch(late)).isInstanceOfSatisfying(ClickHouseError.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENTS));
        late.release();
        capture.close();
    }

    @Test
    void aPinnedSettingAsAFormFieldIsRefusedByTheSettingsStage() {
        HttpRequest head = post("/", -1);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "multipart/form-data; boundary=b");
        QueryCapture capture = QueryCapture.form(ALLOC, new RequestFacts(head), 1 << 20, SettingsStage.DEFAULT);
        assertThatThrownBy(() -> capture.append(bytes("--b\r\nContent-Disposition: form-data; "
                + "name=\"input_format_values_interpret_expressions\"\r\n\r\n1\r\n--b--\r\n"), true))
                .isInstanceOfSatisfying(ClickHouseError.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED));
        capture.close();
    }

    static QueryCapture.Where where(HttpRequest head) {
        return QueryCapture.locate(new RequestFacts(head));
    }
}
