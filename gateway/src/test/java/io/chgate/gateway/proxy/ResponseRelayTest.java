package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.intercept.QueryInterceptor;
import io.chgate.gateway.intercept.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResponseRelayTest {
    static final QueryInterceptor MANAGES_SECRET = new QueryInterceptor() {
        @Override
        public java.util.concurrent.CompletionStage<Verdict> intercept(io.chgate.gateway.intercept.InterceptedQuery q) {
            return Verdict.PASS_STAGE;
        }

        @Override
        public Set<String> secretValues() {
            return Set.of("vault_user_7");
        }
    };

    @Test
    void aSuccessPassesOnUnheldAndItsConnectionIsReusable() {
        ResponseRelay relay = new ResponseRelay();
        assertThat(relay.onHead(head(200, "OK", "", true), MANAGES_SECRET, ByteBufAllocator.DEFAULT)).isFalse();
        assertThat(relay.started()).isTrue();
        assertThat(relay.masking()).isFalse();
        assertThat(relay.onEnd(new ResponseFramer.End(2, true))).isNull();
        assertThat(relay.done()).isTrue();
        assertThat(relay.keepAlive()).isTrue();
        assertThat(relay.upstreamReusable()).isTrue();
    }

    @Test
    void anErrorQuotingAManagedCredentialIsHeldAndMasked() {
        String text = "Code: 1001. DB::Exception: password authentication failed for user \"vault_user_7\"\n";
        ResponseRelay relay = new ResponseRelay();
        assertThat(relay.onHead(head(500, "Internal Server Error", text, true), MANAGES_SECRET,
                ByteBufAllocator.DEFAULT)).isTrue();
        assertThat(relay.masking()).isTrue();
        assertThat(relay.hold(Unpooled.copiedBuffer(text.substring(0, 20), StandardCharsets.UTF_8))).isTrue();
        assertThat(relay.hold(Unpooled.copiedBuffer(text.substring(20), StandardCharsets.UTF_8))).isTrue();
        List<Object> answer = relay.onEnd(new ResponseFramer.End(text.length(), true));
        HttpResponse response = (HttpResponse) answer.get(0);
        ByteBuf body = ((HttpContent) answer.get(1)).content();
        String masked = body.toString(StandardCharsets.UTF_8);
        assertThat(masked).doesNotContain("vault_user_7").contains("[HIDDEN]");
        assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(body.readableBytes());
        assertThat(answer.get(2)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(relay.masking()).isFalse();
        body.release();
    }

    @Test
    void anErrorIsNotHeldWhenNoCredentialIsManaged() {
        ResponseRelay relay = new ResponseRelay();
        assertThat(relay.onHead(head(500, "Internal Server Error", "x", true), QueryInterceptor.IDENTITY,
                ByteBufAllocator.DEFAULT)).isFalse();
        assertThat(relay.masking()).isFalse();
    }

    @Test
    void anErrorLongerThanAnyClickHouseWritesIsCutAndReleased() {
        ResponseRelay relay = new ResponseRelay();
        relay.onHead(head(500, "Internal Server Error", "", false), MANAGES_SECRET, ByteBufAllocator.DEFAULT);
        ByteBuf huge = Unpooled.buffer(MaskedErrorBody.MAX_BYTES + 1).writerIndex(MaskedErrorBody.MAX_BYTES + 1);
        assertThat(relay.hold(huge)).isFalse();
        assertThat(huge.refCnt()).isZero();
        assertThat(relay.masking()).isFalse();
    }

    @Test
    void aServerThatSentMoreThanAskedOrClosesIsNotReused() {
        ResponseRelay extra = new ResponseRelay();
        extra.onHead(head(200, "OK", "", true), QueryInterceptor.IDENTITY, ByteBufAllocator.DEFAULT);
        extra.onEnd(new ResponseFramer.End(0, false));
        assertThat(extra.upstreamReusable()).isFalse();
        ResponseRelay closing = new ResponseRelay();
        closing.onHead(head(200, "OK", "", false), QueryInterceptor.IDENTITY, ByteBufAllocator.DEFAULT);
        closing.onEnd(new ResponseFramer.End(0, true));
        assertThat(closing.keepAlive()).isFalse();
        assertThat(closing.upstreamReusable()).isFalse();
    }

    @Test
    void theGatewaysOwnAnswerKeepsTheConnectionUnlessTheRequestWasUnreadable() {
        ResponseRelay relay = new ResponseRelay();
        relay.answeredByGateway(false);
        assertThat(relay.started()).isTrue();
        assertThat(relay.done()).isTrue();
        assertThat(relay.keepAlive()).isFalse();
    }

    /** A head as ResponseFramer delivers it: its bytes, read while delivered. */
    static ResponseHead head(int status, String reason, String body, boolean keepAlive) {
        String text = "HTTP/1.1 " + status + " " + reason + "\r\nX-ClickHouse-Exception-Code: 1001\r\n"
                + "Content-Length: " + body.length() + "\r\n" + (keepAlive ? "" : "Connection: close\r\n") + "\r\n";
        ByteBuf bytes = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
        return new ResponseHead(status, keepAlive, false, bytes, 0, bytes.writerIndex());
    }
}
