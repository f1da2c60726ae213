package io.chgate.gateway.proxy;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its answer, taken through the chain of stages (see the package description). What is left here
 * is their order and the moving of bytes: the body is held while the query is decided, then streams to a pooled
 * upstream connection on the client's own event loop, and the answer streams back, each side read only while the
 * other can take it.
 */
final class Exchange implements UpstreamListener, UpstreamLease.Holder, Admission.Waiter, PolicyStage.Listener,
        CacheStage.Route {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);

    /** The client connection an exchange belongs to. */
    interface Connection {
        /** The pipelined messages waiting behind this request fill the backlog. */
        boolean backlogFull();

        /** The request is answered and read whole; the connection serves the next one or closes. */
        void exchangeFinished(boolean keepAlive);
    }

    private final ProxySettings settings;
    private final ChannelHandlerContext ctx;
    private final Connection connection;
    private final HttpRequest request;
    private final RequestFacts facts;
    /** The configuration this request is decided by, from its start to its end (a reload does not split it). */
    private final Policy policy;
    private final ExchangeRecord record;
    private final UpstreamLease lease;
    private final ResponseRelay response = new ResponseRelay();
    /** The gateway user the request authenticated as; null without gateway users. */
    private GatewayUser gatewayUser;
    /** The query's decision; null until the head passed its checks. */
    private PolicyStage policyStage;
    /** ClickHouse's answer began with 200. */
    private boolean upstreamSucceeded;
    /** The response cache's part in this request; null when its answer cannot come from or go to a cache. */
    private CacheStage cache;

    private final RequestBodyRelay body = new RequestBodyRelay();
    private boolean requestReceived;
    private HttpRequest outgoing;
    private boolean headSent;
    private long headSentNanos;
    private boolean admissionAsked;
    /** The statement's max_execution_time; null without one. */
    private ExecutionDeadline execution;
    private boolean finished;
    /** The request could not be decoded: the connection cannot be trusted for another one. */
    private boolean malformed;
    private long lastProgressNanos = System.nanoTime();

    Exchange(ProxySettings settings, ChannelHandlerContext ctx, Connection connection, HttpRequest request) {
        this.settings = settings;
        this.ctx = ctx;
        this.connection = connection;
        this.request = request;
        this.policy = settings.policy().get();
        this.facts = new RequestFacts(request, RequestFacts.clientAddress(ctx.channel().remoteAddress()),
                io.chgate.gateway.tls.PeerSubject.of(ctx.channel()));
        this.record = new ExchangeRecord(settings.metrics(), settings.accessLog(), facts, request.method().name());
        this.lease = new UpstreamLease(settings.upstreams(), facts.sessionId, ctx.channel().eventLoop(), this);
    }

    void start() {
        HeadChecks.Result head = HeadChecks.run(policy, request, facts);
        gatewayUser = head.user();
        ClickHouseError refused = head.refusal();
        record.started(gatewayUser);
        if (facts.malformed) {
            requestReceived = true;   // no more of it can be read
            malformed = true;
        }
        boolean admitted = false;
        if (refused == null) {
            try {
                admitted = settings.admission().admit(gatewayUser, facts, this);
                admissionAsked = true;
                cache = CacheStage.of(settings, gatewayUser, facts, request, ctx.channel().eventLoop(), this,
                        admitted);
                ExecutionDeadline.Limit limit = settings.admission().executionLimit(gatewayUser);
                execution = limit == null ? null : new ExecutionDeadline(limit, settings.cancel());
            } catch (ClickHouseError e) {
                refused = e;
            }
        }
        if (refused != null) {
            fail(refused);
            return;
        }
        if (facts.expectsContinue) {
            // The body is needed before anything can be forwarded, so the gateway answers the client's Expect
            // itself (as ClickHouse would) and does not pass it on.
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        if (admitted) {
            lease.acquire(null);   // meanwhile the query is read and decided
        }
        if (!answered()) {   // no node could be had at once: the body is not read for a query any more
            policyStage = new PolicyStage(request, facts, policy, gatewayUser, record, body, ctx.executor(), this,
                    settings.caches());
            policyStage.start(ctx.alloc(), settings.maxQueryBytes());
        }
        updateClientReading();
    }

    // ---- request side ----

    void onClientContent(HttpContent content) {
        lastProgressNanos = System.nanoTime();
        record.received(content.content().readableBytes());
        if (content.decoderResult().isFailure()) {
            // A body chgate cannot frame (a bad chunk size): ClickHouse must not get a body chgate did not read,
            // and the connection cannot be trusted for another request. fail() cuts the upstream connection,
            // so a server that got part of the body sees an incomplete request.
            content.release();
            requestReceived = true;
            malformed = true;
            fail(new ClickHouseError(ErrorCode.BAD_ARGUMENTS, "chgate: malformed HTTP request body: "
                    + content.decoderResult().cause().getMessage()));
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestReceived = true;
        }
        BodyPhase phase = body.phase();
        if (body.capture() != null && (phase == BodyPhase.HOLD || phase == BodyPhase.STREAM)) {
            try {
                body.capture().watch(content.content());
            } catch (ClickHouseError e) {
                content.release();
                fail(e);
                return;
            }
        }
        switch (phase) {
            case QUERY -> policyStage.read(content, last);
            case HOLD -> body.hold(content);
            case STREAM -> body.forward(content, lease.channel());
            case DISCARD -> {
                content.release();
                if (last) {
                    maybeFinish();
                }
            }
        }
        if (!finished) {
            updateClientReading();
        }
    }

    @Override
    public boolean answered() {
        return finished || response.started();
    }

    @Override
    public void onDecided(HttpRequest head) {
        HttpRequest decided = execution == null ? head : execution.identified(head, facts);
        if (cache == null || !cache.decided(policyStage.forwardedSql(), policyStage.queryIsTheRequest(requestReceived),
                decided)) {
            if (facts.sessionId != null) {
                settings.caches().sessionChanged(facts.sessionId);   // it may SET, USE or make a temporary table
            }
            send(decided);   // from ClickHouse; a user with a cache still sees it marked a miss
        }
    }

    @Override
    public void send(HttpRequest head) {
        outgoing = head;
        maybeSendHead();
    }

    @Override
    public void answer(io.netty.handler.codec.http.FullHttpResponse cached, long bodyBytes) {
        lease.release(true);   // taken meanwhile and unused
        record.answeredFromCache(bodyBytes);
        answerHere(cached, true);
    }

    @Override
    public void waiting() {
        if (execution != null) {
            execution.started(ctx.executor(), this::executionTimePassed);
        }
    }

    @Override
    public void admitted() {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(this::admitted);   // another user's statement ended on another thread
            return;
        }
        if (!answered()) {
            lease.acquire(null);
            if (cache != null) {
                cache.admitted();
            }
        }
    }

    /** From admission, policy or the lease: the request is answered with {@code error}. */
    @Override
    public void refused(ClickHouseError error) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> refused(error));
            return;
        }
        fail(error);
    }

    @Override
    public void onUpstreamLeased(Channel upstream) {
        upstream.pipeline().get(UpstreamHandler.class).bind(this);
        maybeSendHead();
    }

    private void maybeSendHead() {
        Channel upstream = lease.channel();
        if (outgoing == null || upstream == null || headSent || finished) {
            return;
        }
        headSent = true;
        headSentNanos = System.nanoTime();
        policyStage.sent();
        if (execution != null) {
            execution.started(ctx.executor(), this::executionTimePassed);
        }
        upstream.write(outgoing).addListener(this::onUpstreamWrite);
        body.sendStart(upstream, requestReceived);
        upstream.flush();
        updateClientReading();
    }

    private void onUpstreamWrite(io.netty.util.concurrent.Future<? super Void> future) {
        if (future.isSuccess() || finished || response.started()) {
            return;
        }
        Channel upstream = lease.channel();
        if (headSent && upstream != null && upstream.isActive()) {
            // ClickHouse may answer early (an unknown table, say) and close while the body is still being sent:
            // its answer may already be waiting on the socket, so read it rather than report the write. The
            // rest of the client's body has nowhere to go; if no answer comes, the close says so (502).
            if (body.phase() != BodyPhase.DISCARD) {
                body.discard();
            }
            upstream.config().setAutoRead(true);
            upstream.read();
            updateClientReading();
            return;
        }
        fail(ClickHouseError.upstreamUnreachable(lease.nodeName(), UpstreamLease.describe(future.cause())));
    }

    /** Flushes what the client's last read forwarded. */
    void flushUpstream() {
        Channel upstream = lease.channel();
        if (upstream != null && headSent) {
            upstream.flush();
        }
    }

    void updateClientReading() {
        Channel upstream = lease.channel();
        boolean read = ClientReading.wanted(facts.hasBody, requestReceived, connection.backlogFull(), body.phase(),
                upstream != null && upstream.isWritable());
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        updateClientReading();
    }

    // ---- response side ----

    @Override
    public void onUpstreamMessage(Object msg) {
        lastProgressNanos = System.nanoTime();
        if (finished || response.done()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes) {
            if (!response.relay(bytes, ctx)) {
                abort();
            } else if (!ctx.channel().isWritable()) {
                lease.channel().config().setAutoRead(false);
            }
        } else if (msg instanceof ResponseHead head) {
            if (response.begin(head, policy.interceptor(), ctx, cache)) {
                lease.channel().pipeline().get(ResponseFramer.class).decodeBody();
            }
            record.upstreamAnswered(head, System.nanoTime() - headSentNanos);
            upstreamSucceeded = head.status() == 200;
            if (execution != null) {
                execution.answered(head);
            }
        } else if (msg instanceof ResponseFramer.End end) {
            record.upstreamEnded(end.bodyBytes());
            if (policyStage != null) {
                policyStage.ended(upstreamSucceeded);
            }
            response.end(end, ctx);
            lease.release(body.sent() && response.upstreamReusable());
            if (!requestReceived) {
                body.phase(BodyPhase.DISCARD);
                updateClientReading();
            }
            maybeFinish();
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        if (!finished) {
            ctx.flush();
        }
    }

    void onClientWritabilityChanged(boolean writable) {
        Channel upstream = lease.channel();
        if (writable && upstream != null && response.started() && !response.done()) {
            upstream.config().setAutoRead(true);
        }
    }

    @Override
    public void onUpstreamGone(Throwable cause) {
        lease.lost();
        if (finished || response.done()) {
            return;
        }
        if (!response.started()) {
            if (UpstreamLease.retryable(facts, outgoing != null, settings.upstreams())) {
                // Nothing came back and nothing can have changed: another node answers instead.
                headSent = false;
                body.resend();
                lease.retry(cause);
                return;
            }
            fail(ClickHouseError.upstreamUnreachable(lease.nodeName(),
                    cause == null ? "it closed the connection before answering" : UpstreamLease.describe(cause)));
        } else {
            // A response cut short must not look complete: close the client connection without the final
            // chunk (or short of Content-Length), which is how ClickHouse itself ends a failed stream.
            log.warn("upstream connection lost mid-response{}", cause == null ? "" : ": " + cause);
            abort();
        }
    }

    // ---- ending ----

    /** Answers with a gateway error if nothing was answered yet, or cuts the connection if it was. */
    private void fail(ClickHouseError error) {
        if (finished) {
            return;
        }
        if (response.started()) {
            abort();
            return;
        }
        record.refused(error);
        lease.close();
        answerHere(error.toResponse(ctx.alloc(), facts.keepAlive && !malformed), !malformed);
    }

    /** chgate answers the client itself; the rest of the request, if any, is read and dropped. */
    private void answerHere(Object reply, boolean keepAlive) {
        response.answeredByGateway(keepAlive);
        body.discard();
        ctx.writeAndFlush(reply);
        maybeFinish();
        if (!finished) {
            updateClientReading();
        }
    }

    private void abort() {
        finish();
        lease.close();
        ctx.flush();   // what was received still reaches the client; the missing end is the failure signal
        ctx.close();
    }

    /**
     * The statement ran past its max_execution_time: it is stopped upstream, and its client answered — or, when its
     * rows are already streaming, told in the stream as ClickHouse tells it, which then ends cut short.
     */
    private void executionTimePassed() {
        if (finished || response.done()) {
            return;
        }
        ClickHouseError error = execution.passed(headSent ? lease.nodeName() : null);
        if (response.started() && !response.masking()) {
            execution.intoStream(ctx, lease.channel(), error);
        }
        fail(error);
    }

    void onClientGone() {
        if (!finished) {
            finish();
            lease.close();
        }
    }

    private void maybeFinish() {
        if (finished || !response.done() || !requestReceived) {
            return;
        }
        finish();
        connection.exchangeFinished(facts.keepAlive && response.keepAlive());
    }

    private void finish() {
        if (!finished) {
            lease.leaveNode();
            if (admissionAsked) {
                settings.admission().leave(this);
            }
            if (execution != null) {
                execution.stop();
            }
            if (cache != null) {
                cache.abandon();
            }
            record.finish();
        }
        finished = true;
        body.drop();
        response.release();
    }

    @Override
    public boolean requestReceived() {
        return requestReceived;
    }

    void checkDeadlines() {
        if (!finished) {
            ClickHouseError passed = Deadlines.passed(settings.requestTimeout(), settings.idleTimeout(),
                    record.startNanos(), lastProgressNanos, System.nanoTime());
            if (passed != null) {
                fail(passed);
            }
        }
    }
}
