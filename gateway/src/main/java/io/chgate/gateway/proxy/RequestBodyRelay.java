package io.chgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Where a request body's bytes go ({@link BodyPhase}): read for the query by a {@link QueryCapture}, held while the
 * verdict and the upstream connection are awaited, then sent on — first the bytes the verdict put at the start, then
 * what was held, then the rest as it comes (decoded, when a rewritten query sits in an encoded body) — or dropped
 * once the client has its answer.
 */
final class RequestBodyRelay {
    private BodyPhase phase = BodyPhase.HOLD;
    /** The query read from the body; null when it is in the URL or there is none. */
    private QueryCapture capture;
    private final ArrayDeque<HttpContent> held = new ArrayDeque<>(2);
    /** The first body bytes to send once the head is out: the raw bytes held while reading the query, or a rewritten start. */
    private List<ByteBuf> bodyStart = List.of();
    private boolean decodeRest;
    /** The whole request, its end included, was written upstream. */
    private boolean sent;

    BodyPhase phase() {
        return phase;
    }

    void phase(BodyPhase phase) {
        this.phase = phase;
    }

    /** The body's start is read for the query. */
    void capture(QueryCapture capture) {
        this.capture = capture;
        this.phase = BodyPhase.QUERY;
    }

    QueryCapture capture() {
        return capture;
    }

    /** Holds a piece until the head is out (ownership passes). */
    void hold(HttpContent content) {
        held.add(content);
    }

    /** The verdict is applied: its body start goes first, and the capture lets go of what it no longer needs. */
    void verdictApplied(Outgoing out) {
        bodyStart = out.bodyStart();
        decodeRest = out.decodeRest();
        if (capture != null) {
            capture.afterVerdict(decodeRest);
        }
    }

    /**
     * The head is written: the body start and every held piece follow, and the request's end when it has been
     * received; from now on pieces stream as they come.
     */
    void sendStart(Channel upstream, boolean received) {
        for (ByteBuf buf : bodyStart) {
            upstream.write(new DefaultHttpContent(buf));
        }
        bodyStart = List.of();
        phase = BodyPhase.STREAM;
        while (!held.isEmpty()) {
            forward(held.poll(), upstream);
        }
        if (received && !sent) {
            upstream.write(LastHttpContent.EMPTY_LAST_CONTENT);
            sent = true;
        }
    }

    /** Sends a piece on (ownership passes); the last one flushes. */
    void forward(HttpContent content, Channel upstream) {
        boolean last = content instanceof LastHttpContent;
        if (decodeRest) {
            capture.decodeMore(content.content(), buf -> upstream.write(new DefaultHttpContent(buf)));
            if (last) {
                upstream.write(LastHttpContent.EMPTY_LAST_CONTENT);
            }
        } else {
            upstream.write(content);
        }
        if (last) {
            sent = true;
            upstream.flush();
        }
    }

    boolean sent() {
        return sent;
    }

    /** The request goes out again, to another node (it has no body, so nothing of it is lost). */
    void resend() {
        sent = false;
    }

    /** Releases every byte held. A form is still watched. */
    void drop() {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        bodyStart.forEach(ByteBuf::release);
        bodyStart = List.of();
        if (capture != null) {
            capture.close();
        }
        decodeRest = false;
    }

    /** The client has its answer: what is held and what still comes is dropped, so the connection stays usable. */
    void discard() {
        drop();
        phase = BodyPhase.DISCARD;
    }
}
