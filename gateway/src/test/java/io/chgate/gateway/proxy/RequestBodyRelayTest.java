package io.chgate.gateway.proxy;

import static io.chgate.gateway.proxy.RewriteApplierTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Body bytes on their way upstream; an EmbeddedChannel stands in for the upstream connection's outbound side. */
class RequestBodyRelayTest {

    @Test
    void theVerdictsStartThenWhatWasHeldThenTheRestGoInOrder() {
        EmbeddedChannel upstream = new EmbeddedChannel();
        RequestBodyRelay body = new RequestBodyRelay();
        assertThat(body.phase()).isEqualTo(BodyPhase.HOLD);
        body.hold(new DefaultHttpContent(bytes("held,")));
        body.verdictApplied(new Outgoing(null, List.of(bytes("start,")), false));
        body.sendStart(upstream, false);
        assertThat(body.phase()).isEqualTo(BodyPhase.STREAM);
        assertThat(body.sent()).isFalse();
        body.forward(new DefaultLastHttpContent(bytes("rest")), upstream);
        assertThat(body.sent()).isTrue();
        assertThat(written(upstream)).containsExactly("start,", "held,", "rest|last");
    }

    @Test
    void aBodyAllInBeforeTheHeadWentOutEndsWithTheHead() {
        EmbeddedChannel upstream = new EmbeddedChannel();
        RequestBodyRelay body = new RequestBodyRelay();
        body.verdictApplied(new Outgoing(null, List.of(), false));
        body.sendStart(upstream, true);
        assertThat(body.sent()).isTrue();
        assertThat(written(upstream)).containsExactly("|last");
        body.resend();
        assertThat(body.sent()).isFalse();
    }

    @Test
    void aDiscardedBodyReleasesEverythingHeld() {
        RequestBodyRelay body = new RequestBodyRelay();
        ByteBuf held = bytes("held");
        ByteBuf start = bytes("start");
        body.hold(new DefaultHttpContent(held));
        body.verdictApplied(new Outgoing(null, List.of(start), false));
        body.discard();
        assertThat(body.phase()).isEqualTo(BodyPhase.DISCARD);
        assertThat(held.refCnt()).isZero();
        assertThat(start.refCnt()).isZero();
        body.drop();   // again: nothing is released twice
    }

    @Test
    void aRewrittenEncodedBodyIsDecodedAsItStreams() throws Exception {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            data.append(i).append(',').append(i * 7919 % 10007).append('\n');
        }
        byte[] gzip = RewriteApplierTest.gzip("INSERT INTO t FORMAT CSV\n" + data);
        io.netty.handler.codec.http.HttpRequest head = RewriteApplierTest.post("/", gzip.length);
        head.headers().set("Content-Encoding", "gzip");
        RequestFacts facts = new RequestFacts(head);
        QueryCapture capture = QueryCapture.body(RewriteApplierTest.ALLOC, facts, 1 << 20);
        int at = 0;
        while (!capture.append(io.netty.buffer.Unpooled.copiedBuffer(gzip, at, 64), false)) {
            at += 64;
        }
        at += 64;
        assertThat(at).isLessThan(gzip.length / 2);   // the rest is still to come
        RequestBodyRelay body = new RequestBodyRelay();
        body.capture(capture);
        body.phase(BodyPhase.HOLD);
        body.verdictApplied(RewriteApplier.rewrite(head, facts, capture, "INSERT INTO u FORMAT CSV\n", false, false));
        EmbeddedChannel upstream = new EmbeddedChannel();
        body.sendStart(upstream, false);
        body.forward(new DefaultHttpContent(io.netty.buffer.Unpooled.copiedBuffer(gzip, at, 100)), upstream);
        body.forward(new DefaultLastHttpContent(io.netty.buffer.Unpooled.copiedBuffer(gzip, at + 100,
                gzip.length - at - 100)), upstream);
        assertThat(String.join("", written(upstream)).replace("|last", ""))
                .isEqualTo("INSERT INTO u FORMAT CSV\n" + data);
        body.drop();
    }

    /** What was written upstream: each piece's text, a last piece marked {@code |last}; released. */
    static List<String> written(EmbeddedChannel upstream) {
        List<String> out = new ArrayList<>();
        upstream.flush();
        for (Object msg = upstream.readOutbound(); msg != null; msg = upstream.readOutbound()) {
            HttpContent content = (HttpContent) msg;
            out.add(content.content().toString(StandardCharsets.UTF_8)
                    + (content instanceof LastHttpContent ? "|last" : ""));
            content.release();
        }
        return out;
    }
}
