package io.chgate.gateway.proxy;

import io.chgate.gateway.intercept.QueryInterceptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import java.util.Set;

/**
 * The response side of one request: where the client's answer stands (begun, complete, whether the connection
 * stays open and the upstream connection can be reused), and ClickHouse's answer on its way to the client — the bytes
 * as they came (framed by {@link ResponseFramer}), an error held whole while it is masked ({@link MaskedErrorBody}),
 * or re-framed from its payload for the response cache ({@link CacheStage}).
 */
final class ResponseRelay {
    private boolean started;
    private boolean done;
    private boolean keepAlive = true;
    /** The upstream connection may carry another request (it sent nothing beyond this response). */
    private boolean upstreamReusable = true;
    /** An error response held whole to mask managed credentials in it; null otherwise. */
    private MaskedErrorBody masked;
    /** The cache stage the answer is re-framed for (marked, perhaps kept); null otherwise. */
    private CacheStage cached;

    /**
     * ClickHouse began its answer: true when its body must come as payload (masked, or re-framed for the cache, whose
     * head is written to the client now).
     *
     * @param cache the request's cache stage, or null
     */
    boolean begin(ResponseHead head, QueryInterceptor interceptor, ChannelHandlerContext client, CacheStage cache) {
        if (onHead(head, interceptor, client.alloc())) {
            return true;
        }
        if (cache != null && cache.onHead(head)) {
            cached = cache;
            client.write(cache.relayedHead(head), client.voidPromise());
            return true;
        }
        return false;
    }

    /** A piece of the answer, to the client or held (ownership passes); false when a held error grew too large. */
    boolean relay(ByteBuf piece, ChannelHandlerContext client) {
        if (masked != null) {
            return hold(piece);
        }
        client.write(cached != null ? cached.relay(piece) : piece, client.voidPromise());
        return true;
    }

    /** ClickHouse's answer ended: what is still owed reaches the client (a re-framed end, a masked error). */
    void end(ResponseFramer.End end, ChannelHandlerContext client) {
        if (cached != null) {
            client.write(cached.relayedEnd(), client.voidPromise());
        }
        List<Object> answer = onEnd(end);
        if (answer != null) {
            answer.forEach(client::write);
        }
        client.flush();
    }

    /** Whether the client was sent (or is being sent) an answer. */
    boolean started() {
        return started;
    }

    /** Whether the client's answer is complete. */
    boolean done() {
        return done;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** Whether the upstream connection may go back to the pool, given the request went out whole. */
    boolean upstreamReusable() {
        return keepAlive && upstreamReusable;
    }

    /**
     * ClickHouse began its answer. An error answer is held whole to be masked when the interceptor manages
     * credentials (a server's error may quote one): then true, and the body must come decoded.
     */
    boolean onHead(ResponseHead head, QueryInterceptor interceptor, ByteBufAllocator alloc) {
        started = true;
        keepAlive = head.keepAlive();
        if (head.status() >= 400) {
            Set<String> secrets = interceptor.secretValues();
            if (!secrets.isEmpty()) {
                masked = new MaskedErrorBody(head.toHttpResponse(), secrets, alloc);
                return true;
            }
        }
        return false;
    }

    /** Whether response bytes are held for masking rather than passed on. */
    boolean masking() {
        return masked != null;
    }

    /**
     * Holds a piece of the error being masked (ownership passes); false, with everything held released, when it grew
     * past what an error ClickHouse writes can be: it is cut rather than passed on unread.
     */
    boolean hold(ByteBuf piece) {
        if (masked.add(piece)) {
            return true;
        }
        release();
        return false;
    }

    /** ClickHouse's answer ended; returns the masked error to write (head, body, end), or null when none was held. */
    List<Object> onEnd(ResponseFramer.End end) {
        upstreamReusable = end.reusable();
        done = true;
        if (masked == null) {
            return null;
        }
        List<Object> answer = masked.finish();
        masked = null;
        return answer;
    }

    /** The gateway answers the client itself; the connection stays open unless the request could not be read. */
    void answeredByGateway(boolean keepAlive) {
        started = true;
        done = true;
        this.keepAlive = keepAlive;
    }

    /** Lets go of an error held for masking. */
    void release() {
        if (masked != null) {
            masked.release();
            masked = null;
        }
    }
}
