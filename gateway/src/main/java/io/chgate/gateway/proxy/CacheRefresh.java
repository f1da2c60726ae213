package io.chgate.gateway.proxy;

import io.chgate.gateway.cache.Flight;
import io.chgate.gateway.error.ClickHouseError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sends a statement again for a stale answer while the stale one is served (grace): a request of chgate's own, with
 * no client behind it, whose complete {@code 200} answer replaces the stale one. It gives up — leaving the stale
 * answer to age out — on an error, an answer too large, a lost connection or the request timeout.
 */
final class CacheRefresh implements UpstreamLease.Holder, UpstreamListener {
    private final HttpRequest head;
    private final byte[] body;
    private final CacheStage stage;
    private final Flight flight;
    private final UpstreamLease lease;
    private final ScheduledFuture<?> deadline;
    private AnswerRecorder recorder;
    private boolean done;

    private CacheRefresh(Upstreams upstreams, EventLoop loop, HttpRequest head, byte[] body, CacheStage stage,
            Flight flight, Duration timeout) {
        this.head = head;
        this.body = body;
        this.stage = stage;
        this.flight = flight;
        this.lease = new UpstreamLease(upstreams, null, loop, this);
        long nanos = timeout.isZero() ? TimeUnit.MINUTES.toNanos(5) : timeout.toNanos();
        this.deadline = loop.schedule(() -> finish(false), nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * @param head the led statement's head, as it went upstream
     * @param sql the statement to send as the body, or null when it is in the head's URL
     */
    static void start(Upstreams upstreams, EventLoop loop, HttpRequest head, String sql, CacheStage stage,
            Flight flight, Duration timeout) {
        byte[] body = sql == null ? null : sql.getBytes(StandardCharsets.UTF_8);
        HttpRequest copy = new DefaultHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                head.headers().copy());
        copy.headers().remove(HttpHeaderNames.EXPECT).remove(HttpHeaderNames.CONTENT_ENCODING)
                .remove(HttpHeaderNames.TRANSFER_ENCODING).remove(HttpHeaderNames.CONNECTION);
        if (body == null) {
            copy.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        } else {
            copy.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        loop.execute(() -> new CacheRefresh(upstreams, loop, copy, body, stage, flight, timeout).lease.acquire(null));
    }

    @Override
    public boolean answered() {
        return done;
    }

    @Override
    public void onUpstreamLeased(Channel upstream) {
        upstream.pipeline().get(UpstreamHandler.class).bind(this);
        upstream.write(head);
        upstream.writeAndFlush(body == null ? LastHttpContent.EMPTY_LAST_CONTENT
                : new DefaultLastHttpContent(Unpooled.wrappedBuffer(body)));
    }

    @Override
    public void refused(ClickHouseError error) {
        finish(false);
    }

    @Override
    public void onUpstreamMessage(Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof ResponseHead response) {
            if (response.status() == 200) {
                recorder = new AnswerRecorder(response, stage.cache().maxPayloadBytes());
                lease.channel().pipeline().get(ResponseFramer.class).decodeBody();
            }
        } else if (msg instanceof ByteBuf bytes) {
            if (recorder != null && !recorder.add(bytes)) {
                recorder = null;
            }
            bytes.release();
        } else if (msg instanceof ResponseFramer.End end) {
            lease.release(end.reusable());
            finish(recorder != null);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void onUpstreamReadComplete() {
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
    }

    @Override
    public void onUpstreamGone(Throwable cause) {
        lease.lost();
        finish(false);
    }

    private void finish(boolean complete) {
        if (done) {
            return;
        }
        done = true;
        deadline.cancel(false);
        lease.close();
        lease.leaveNode();
        stage.cache().land(flight, complete ? recorder.answer(stage.objects(), stage.cache().now()) : null);
        recorder = null;
    }
}
