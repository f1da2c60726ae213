package io.chgate.gateway.proxy;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.sql.Statements;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.ArrayList;
import java.util.List;

/**
 * The forwarding stage's hold on ClickHouse for one request: the node it goes to, the pooled connection it uses, and
 * the nodes that failed it. Nothing has been sent to a node whose connection cannot be opened, so that node is marked
 * down and the next one tried (failover); the request hears of it only when no node is left.
 */
final class UpstreamLease implements GenericFutureListener<Future<? super Void>> {

    /** The request the connection is for. */
    interface Holder {
        /** Whether the request was answered meanwhile: a connection is no longer wanted. */
        boolean answered();

        /** The connection to use; its {@link UpstreamHandler} is unbound. */
        void onUpstreamLeased(Channel upstream);

        /** No node is left to try: the request is answered with {@code error}. */
        void refused(ClickHouseError error);
    }

    private final Upstreams upstreams;
    private final String sessionId;
    private final EventLoop loop;
    private final Holder holder;
    private Upstreams.Node node;
    private Channel channel;
    private List<Upstreams.Node> unreachable = List.of();

    /** @param sessionId the request's {@code session_id}, which keeps it on its session's node; or null */
    UpstreamLease(Upstreams upstreams, String sessionId, EventLoop loop, Holder holder) {
        this.upstreams = upstreams;
        this.sessionId = sessionId;
        this.loop = loop;
        this.holder = holder;
    }

    /**
     * Whether a request whose node went away before answering may go to another: it has no body (so it can be sent
     * again whole) and only reads (so running it twice changes nothing). Anything else gets the 502.
     *
     * @param headDecided the verdict is applied (the head that went out can go out again)
     */
    static boolean retryable(RequestFacts facts, boolean headDecided, Upstreams upstreams) {
        if (facts.hasBody || !headDecided || upstreams.nodes().size() == 1) {
            return false;
        }
        return facts.urlQuery == null || Statements.isReadOnly(facts.urlQuery);
    }

    /** Takes a connection to the next node to try; the holder hears back, now or later, on the event loop. */
    void acquire(Throwable lastFailure) {
        node = upstreams.choose(sessionId, unreachable);
        if (node == null) {
            holder.refused(ClickHouseError.upstreamUnreachable(upstreams.describe(), describe(lastFailure)));
            return;
        }
        node.inFlight.incrementAndGet();
        node.pool.acquire(loop).addListener(this);
    }

    @Override
    public void operationComplete(Future<? super Void> future) {
        Channel ch = ((ChannelFuture) future).channel();
        if (holder.answered()) {
            if (future.isSuccess()) {
                node.pool.release(ch);
            }
            return;
        }
        if (!future.isSuccess()) {
            leaveNode();
            upstreams.markDown(node, describe(future.cause()));
            addUnreachable();
            node = null;
            acquire(future.cause());
            return;
        }
        channel = ch;
        holder.onUpstreamLeased(ch);
    }

    /** The connection went away before answering a request that may be sent again: another node takes it. */
    void retry(Throwable cause) {
        channel = null;
        leaveNode();
        addUnreachable();
        acquire(cause);
    }

    private void addUnreachable() {
        if (unreachable.isEmpty()) {
            unreachable = new ArrayList<>(2);
        }
        unreachable.add(node);
    }

    /** The connection in use, or null. */
    Channel channel() {
        return channel;
    }

    /** The node's name, for an error. */
    String nodeName() {
        return node.name();
    }

    /** The connection closed or failed by itself. */
    void lost() {
        channel = null;
    }

    /** Done with the connection: back to the pool when {@code reusable}, else closed. */
    void release(boolean reusable) {
        Channel ch = channel;
        channel = null;
        if (ch == null) {
            return;
        }
        ch.pipeline().get(UpstreamHandler.class).unbind();
        if (reusable) {
            node.pool.release(ch);
        } else {
            ch.close();
        }
    }

    /** Cuts the connection: what was sent on it must not be mistaken for a complete request. */
    void close() {
        Channel ch = channel;
        channel = null;
        if (ch != null) {
            ch.pipeline().get(UpstreamHandler.class).unbind();
            ch.close();
        }
    }

    /** The request no longer counts toward its node's load. */
    void leaveNode() {
        if (node != null) {
            node.inFlight.decrementAndGet();
        }
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
