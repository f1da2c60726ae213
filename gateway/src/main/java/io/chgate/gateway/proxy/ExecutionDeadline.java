package io.chgate.gateway.proxy;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.observe.UserLimitMeters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A statement's {@code max_execution_time}: counted from its head going upstream, and past it the statement is
 * cancelled there and its client answered code 159, as ClickHouse answers its own {@code max_execution_time}. It
 * needs the statement's query id: the client's ({@code query_id}), or one chgate gives the forwarded request.
 */
final class ExecutionDeadline {
    /**
     * A user's limit.
     *
     * @param clickhouseUser the ClickHouse login its statements run as, or null
     */
    record Limit(Duration max, String clickhouseUser, UserLimitMeters meters) {
    }

    private final Limit limit;
    private final StatementCancel cancel;
    private String queryId;
    private ScheduledFuture<?> timer;
    private boolean encodedAnswer;

    ExecutionDeadline(Limit limit, StatementCancel cancel) {
        this.limit = limit;
        this.cancel = cancel;
    }

    /** The head to forward: the client's when it names its query id, else a copy that names one. */
    HttpRequest identified(HttpRequest head, RequestFacts facts) {
        List<String> ids = facts.params.get("query_id");
        String given = ids != null && !ids.isEmpty() ? ids.get(0) : null;   // ClickHouse reads only the parameter
        if (given != null && !given.isEmpty()) {
            queryId = given;
            return head;
        }
        queryId = UUID.randomUUID().toString();
        return new DefaultHttpRequest(head.protocolVersion(), head.method(),
                QueryUri.withParameter(head.uri(), "query_id=" + queryId), head.headers());
    }

    /** The statement went upstream: the time counts from now (once; a retry on another node does not restart it). */
    void started(EventExecutor loop, Runnable passed) {
        if (timer == null) {
            timer = loop.schedule(passed, limit.max().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** The time ran out: cancels the statement on {@code node} and returns what its client is answered. */
    ClickHouseError passed(String node) {
        limit.meters().refused(UserLimitMeters.Reason.EXECUTION_TIME);
        if (queryId != null && node != null) {
            cancel.cancel(node, queryId, limit.clickhouseUser());
        }
        return new ClickHouseError(ErrorCode.TIMEOUT_EXCEEDED, "chgate: timeout exceeded: the statement ran longer "
                + "than max_execution_time (" + limit.max().toMillis() + " ms) and was cancelled");
    }

    /** The statement's answer began: one with a Content-Encoding cannot take chgate's text into its body. */
    void answered(ResponseHead head) {
        encodedAnswer = head.header(HttpHeaderNames.CONTENT_ENCODING) != null;
    }

    /**
     * Writes the error to a client whose rows are already streaming, after them, as ClickHouse writes an exception
     * that comes after its head: as a chunk of its own, when the body is chunked, plain, and every byte forwarded so
     * far ends at a chunk boundary. Otherwise nothing is written: the response is only cut short.
     */
    void intoStream(ChannelHandlerContext client, Channel upstream, ClickHouseError error) {
        ResponseFramer framer = upstream == null ? null : upstream.pipeline().get(ResponseFramer.class);
        if (!encodedAnswer && framer != null && framer.betweenChunks()) {
            client.write(errorChunk(error, client.alloc()));
        }
    }

    static ByteBuf errorChunk(ClickHouseError error, ByteBufAllocator alloc) {
        byte[] text = error.body().getBytes(StandardCharsets.UTF_8);
        ByteBuf chunk = alloc.buffer(text.length + 16);
        chunk.writeCharSequence(Integer.toHexString(text.length) + "\r\n", StandardCharsets.US_ASCII);
        chunk.writeBytes(text);
        chunk.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        return chunk;
    }

    /** The request ended. */
    void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
