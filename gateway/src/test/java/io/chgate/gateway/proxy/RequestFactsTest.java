package io.chgate.gateway.proxy;

import static io.chgate.gateway.proxy.RewriteApplierTest.get;
import static io.chgate.gateway.proxy.RewriteApplierTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.error.ErrorCode;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class RequestFactsTest {

    @Test
    void theHeadIsReadOnce() throws Exception {
        HttpRequest head = post("/?query=SELECT&session_id=s1&session_id=s2&database=a&decompress=1", 10);
        head.headers().set(HttpHeaderNames.EXPECT, "100-continue").set("X-ClickHouse-Database", "b")
                .set(HttpHeaderNames.CONTENT_ENCODING, "GZIP");
        InetAddress client = InetAddress.getByName("192.0.2.7");
        RequestFacts facts = new RequestFacts(head, client);
        assertThat(facts.path).isEqualTo("/");
        assertThat(facts.urlQuery).isEqualTo("SELECT");
        assertThat(facts.sessionId).isEqualTo("s1");
        assertThat(facts.hasBody).isTrue();
        assertThat(facts.expectsContinue).isTrue();
        assertThat(facts.keepAlive).isTrue();
        assertThat(facts.nativeCompressedBody).isTrue();
        assertThat(facts.contentEncoding).isEqualTo("gzip");
        assertThat(facts.clientAddress).isEqualTo(client);
        assertThat(facts.databases()).containsExactly("a", "b").isSameAs(facts.databases());
        assertThat(facts.refusal).isNull();
        assertThat(facts.malformed).isFalse();
        assertThat(facts.query.first("database")).isEqualTo("a");
    }

    @Test
    void pathsOtherThanTheQueryPathAndHealthChecksAreRefused() {
        assertThat(new RequestFacts(get("/play")).refusal.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(new RequestFacts(get("/ping")).refusal).isNull();
        assertThat(new RequestFacts(get("/ping")).inspected).isFalse();
        assertThat(new RequestFacts(get("/ping?x=1")).refusal.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(new RequestFacts(get("/?query=a&query=b")).refusal.code()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
    }

    @Test
    void aHeadThatCouldNotBeDecodedIsRefusedBeforeAnythingElse() {
        HttpRequest tooLong = get("/play");
        tooLong.setDecoderResult(DecoderResult.failure(new TooLongFrameException("too long")));
        RequestFacts facts = new RequestFacts(tooLong);
        assertThat(facts.malformed).isTrue();
        assertThat(facts.refusal.code()).isEqualTo(ErrorCode.QUERY_IS_TOO_LARGE);
        HttpRequest garbled = get("/");
        garbled.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad")));
        assertThat(new RequestFacts(garbled).refusal.code()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
    }

    @Test
    void theClientAddressIsTheRemoteHostOrLoopback() throws Exception {
        InetAddress host = InetAddress.getByName("192.0.2.9");
        assertThat(RequestFacts.clientAddress(new InetSocketAddress(host, 5000))).isEqualTo(host);
        assertThat(RequestFacts.clientAddress(null)).isEqualTo(InetAddress.getLoopbackAddress());
    }
}
