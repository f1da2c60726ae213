package io.chgate.gateway.proxy;

import io.chgate.gateway.intercept.QueryInterceptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Set;

/**
 * The response side of one request: where the client's answer stands (begun, complete, whether the connection
 * stays open and the upstream connection can be reused), and an upstream error held whole while it is masked
 * ({@link MaskedErrorBody}). The bytes themselves are framed by {@link ResponseFramer} and pass on untouched.
 */
final class ResponseRelay {
    private boolean started;
    private boolean done;
    private boolean keepAlive = true;
    /** The upstream connection may carry another request (it sent nothing beyond this response). */
    private boolean upstreamReusable = true;
    /** An error response held whole to mask managed credentials in it; null otherwise. */
    private MaskedErrorBody masked;

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
