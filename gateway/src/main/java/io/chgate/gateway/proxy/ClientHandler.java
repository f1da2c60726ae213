package io.chgate.gateway.proxy;

import io.chgate.gateway.admin.AccessLog;
import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.codec.NativeBlocks;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ClickHouseHeaders;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.intercept.InterceptedQuery;
import io.chgate.gateway.intercept.Verdict;
import io.chgate.sql.InsertData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. Requests are served one at a time (pipelined ones wait in a backlog); each is an
 * {@link Exchange} that reads the query, asks the interceptor, and then streams both ways between the client and a
 * pooled upstream connection on the same event loop, reading from one side only while the other can take it.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

    private final ProxySettings settings;
    private ChannelHandlerContext ctx;
    private ClientResponseEncoder encoder;
    private Exchange exchange;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();

    ClientHandler(ProxySettings settings) {
        this.settings = settings;
    }

    /**
     * Values data is parsed by literal, and by constant-expression template (which refuses subqueries), never
     * interpreted as SQL: measured on ClickHouse 26.7; on 18.16 it means literals only.
     */
    private static final String VALUES_EXPRESSIONS_OFF = "input_format_values_interpret_expressions=0";

    /** At most this many pipelined messages wait while a request is served; then the socket is not read. */
    private static final int MAX_BACKLOG = 64;

    private ScheduledFuture<?> deadlines;
    /** When the connection last had no request in flight: a request head must arrive within the header timeout. */
    private long waitingSinceNanos;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.encoder = ctx.pipeline().get(ClientResponseEncoder.class);
    }

    /**
     * One timer per connection, not per request: scheduling and cancelling two timers for every request costs more
     * than a check that looks at the current exchange's deadlines now and then.
     */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long idle = settings.idleTimeout().toNanos();
        long request = settings.requestTimeout().toNanos();
        long every = Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(idle / 4,
                request > 0 ? request / 4 : Long.MAX_VALUE));
        every = Math.min(every, TimeUnit.SECONDS.toNanos(1));
        long header = settings.headerTimeout().toNanos();
        every = Math.min(every, Math.max(TimeUnit.MILLISECONDS.toNanos(50), header / 4));
        waitingSinceNanos = System.nanoTime();
        settings.metrics().connectionOpened();
        deadlines = ctx.executor().scheduleAtFixedRate(() -> {
            if (exchange != null) {
                exchange.checkDeadlines();
            } else if (System.nanoTime() - waitingSinceNanos > header) {
                ctx.close();   // idle too long, or a request head that never completes
            }
        }, every, every, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange != null && exchange.requestReceived || !backlog.isEmpty()) {
            backlog.add(msg);
            if (backlog.size() >= MAX_BACKLOG) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            exchange = new Exchange(request);
            encoder.answering(HttpMethod.HEAD.equals(request.method()));
            exchange.start();
            if (msg instanceof HttpContent content && exchange != null) {
                exchange.onClientContent(content);
            } else if (msg instanceof HttpContent content) {
                content.release();
            }
        } else if (msg instanceof HttpContent content && exchange != null) {
            exchange.onClientContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null && exchange.upstream != null && exchange.headSent) {
            exchange.upstream.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadlines != null) {
            deadlines.cancel(false);
            settings.metrics().connectionClosed();
        }
        if (exchange != null) {
            exchange.onClientGone();
        }
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    private void exchangeFinished(boolean keepAlive) {
        exchange = null;
        waitingSinceNanos = System.nanoTime();
        if (!keepAlive) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        while (!backlog.isEmpty() && (exchange == null || !exchange.requestReceived)) {
            dispatch(backlog.poll());
        }
        if (exchange == null) {
            ctx.channel().config().setAutoRead(true);
        } else {
            exchange.updateClientReading();
        }
    }

    /** Where the request's body goes while the query is being decided and after. */
    private enum Phase {
        /** Reading the body to find the SQL at its start. */
        QUERY,
        /** Query known, waiting for the verdict or the upstream connection; body pieces are held. */
        HOLD,
        /** Forwarding the body as it comes. */
        STREAM,
        /** The answer is already given; the rest of the body is read and dropped so the connection stays usable. */
        DISCARD
    }

    private final class Exchange implements UpstreamListener, Admission.Waiter {
        private final HttpRequest request;
        private final RequestFacts facts;
        private final boolean clientKeepAlive;
        private final boolean answerContinue;
        /**
         * The query is an INSERT ... VALUES whose data streams on unread: ClickHouse would evaluate expressions in it
         * (scalar subqueries included, so table functions too), so it goes with expression interpretation off.
         */
        private boolean valuesDataUnread;
        /** The configuration this request is decided by, from its start to its end (a reload does not split it). */
        private final Policy policy = settings.policy().get();
        /** What the client was answered (0 while nothing was), and the body bytes each way: for the metrics. */
        private int responseStatus;
        /** The ClickHouse error code the client was answered with (upstream's or chgate's), or null. */
        private String errorCode;
        private String queryId;
        private long requestBytes;
        private long responseBytes;
        /** The gateway user the request authenticated as; null without gateway users. */
        private GatewayUser gatewayUser;
        private ClickHouseError authError;

        private Phase phase = Phase.HOLD;
        private boolean requestReceived;
        private boolean requestSent;
        private BodyQueryBuffer body;
        /** The query of a multipart form; kept after the verdict to watch the rest of the form go by. */
        private FormQuery form;
        private final ArrayDeque<HttpContent> held = new ArrayDeque<>(2);
        /** The first body bytes to send once the head is out: the raw bytes held while reading the query, or a rewritten start. */
        private List<ByteBuf> bodyStart = List.of();
        private boolean decodeRest;

        private HttpRequest outgoing;
        private Channel upstream;
        /** The ClickHouse node this request goes to, and those that could not be reached for it (failover). */
        private Upstreams.Node node;
        private List<Upstreams.Node> unreachable = List.of();
        private boolean headSent;
        private long headSentNanos;
        /** The query as the client sent it, kept only for an access log that shows it (masked). */
        private String loggedSql;

        private boolean responseStarted;
        private boolean responseDone;
        private boolean responseKeepAlive = true;
        /** The upstream connection may carry another request (it sent nothing beyond this response). */
        private boolean upstreamReusable = true;
        /** An error response held whole to mask managed credentials in it; null otherwise. */
        private MaskedErrorBody maskedError;

        private boolean finished;
        private boolean admissionAsked;
        private boolean admitted;
        /** The request could not be decoded: the connection cannot be trusted for another one. */
        private boolean malformed;
        private long lastProgressNanos = System.nanoTime();
        private final long startNanos = System.nanoTime();

        Exchange(HttpRequest request) {
            this.request = request;
            this.facts = new RequestFacts(request, clientAddress());
            try {
                gatewayUser = Authentication.authenticate(policy.users(), request, facts);
            } catch (ClickHouseError e) {
                authError = e;
            }
            this.clientKeepAlive = facts.keepAlive;
            this.answerContinue = facts.expectsContinue;
        }

        void start() {
            settings.metrics().requestStarted();
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                requestReceived = true;
                malformed = true;
                fail(cause instanceof TooLongFrameException
                        ? new ClickHouseError(ErrorCode.QUERY_IS_TOO_LARGE,
                                "chgate: the request line or headers are too long: " + cause.getMessage())
                        : new ClickHouseError(ErrorCode.BAD_ARGUMENTS,
                                "chgate: malformed HTTP request: " + cause.getMessage()));
                return;
            }
            if (facts.refusal != null) {
                fail(facts.refusal);
                return;
            }
            if (authError != null) {
                fail(authError);
                return;
            }
            ClickHouseError refusedSetting = policy.settings().checkHead(facts, request.headers());
            if (refusedSetting != null) {
                fail(refusedSetting);
                return;
            }
            try {
                admitted = settings.admission().admit(gatewayUser, facts, this);
                admissionAsked = true;
            } catch (ClickHouseError e) {
                fail(e);
                return;
            }
            if (answerContinue) {
                // The body is needed before anything can be forwarded, so the gateway answers the client's
                // Expect itself (as ClickHouse would) and does not pass it on.
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            }
            if (admitted) {
                acquireUpstream(null);
            }

            if (!facts.inspected || (facts.urlQuery == null && !facts.hasBody)) {
                onVerdict(Verdict.PASS, null);
            } else if (facts.multipart && facts.hasBody) {
                if (facts.boundary == null) {
                    fail(new ClickHouseError(ErrorCode.BAD_ARGUMENTS,
                            "chgate: a multipart/form-data request must name its boundary"));
                } else if (facts.contentEncoding != null || facts.nativeCompressedBody) {
                    fail(new ClickHouseError(ErrorCode.UNKNOWN_COMPRESSION_METHOD,
                            "chgate cannot read the query fields of a compressed multipart form; send it uncompressed"));
                } else {
                    form = new FormQuery(ctx.alloc(), facts.boundary, facts.urlQuery, settings.maxQueryBytes(),
                            policy.settings());
                    phase = Phase.QUERY;
                }
            } else if (facts.urlQuery != null
                    && (!facts.hasBody || InsertData.dataStart(facts.urlQuery + "\n") >= 0)) {
                valuesDataUnread = facts.hasBody && InsertData.isValuesData(facts.urlQuery + "\n");
                intercept(facts.urlQuery, InterceptedQuery.Location.URL);
            } else {
                try {
                    body = new BodyQueryBuffer(ctx.alloc(), facts.urlQuery == null ? "" : facts.urlQuery + "\n",
                            facts.contentEncoding, facts.nativeCompressedBody, settings.maxQueryBytes());
                    phase = Phase.QUERY;
                } catch (ClickHouseError e) {
                    fail(e);
                }
            }
            updateClientReading();
        }

        // ---- request side ----

        void onClientContent(HttpContent content) {
            lastProgressNanos = System.nanoTime();
            requestBytes += content.content().readableBytes();
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
            if (form != null && (phase == Phase.HOLD || phase == Phase.STREAM)) {
                try {
                    form.watch(content.content());
                } catch (ClickHouseError e) {
                    content.release();
                    fail(e);
                    return;
                }
            }
            switch (phase) {
                case QUERY -> readQuery(content, last);
                case HOLD -> held.add(content);
                case STREAM -> forward(content);
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

        private void readQuery(HttpContent content, boolean last) {
            if (form != null) {
                try {
                    if (form.append(content.content(), last) == FormQuery.Status.COMPLETE) {
                        phase = Phase.HOLD;
                        intercept(form.sql(), form.hasQueryFields()
                                ? InterceptedQuery.Location.BODY : InterceptedQuery.Location.URL);
                    }
                } catch (ClickHouseError e) {
                    fail(e);
                }
                return;
            }
            BodyQueryBuffer.Status status;
            try {
                status = body.append(content.content(), last);
            } catch (ClickHouseError e) {
                fail(e);
                return;
            }
            if (status == BodyQueryBuffer.Status.COMPLETE) {
                phase = Phase.HOLD;
                String sql = body.sql();
                valuesDataUnread = InsertData.isValuesData(sql);
                intercept(sql, InterceptedQuery.Location.BODY);
            }
        }

        private void intercept(String sql, InterceptedQuery.Location location) {
            if (settings.accessLog() != null && settings.accessLog().withSql()) {
                loggedSql = sql;
            }
            phase = phase == Phase.QUERY ? Phase.HOLD : phase;
            List<String> databases = facts.databases();
            InterceptedQuery query = gatewayUser == null
                    ? new InterceptedQuery(sql, RequestFacts.user(request, facts.params), databases, location)
                    : new InterceptedQuery(sql, gatewayUser.name(), databases, location, gatewayUser);
            CompletableFuture<Verdict> verdict;
            try {
                CompletionStage<Verdict> stage = policy.interceptor().intercept(query);
                verdict = stage.toCompletableFuture();
            } catch (RuntimeException e) {
                verdict = CompletableFuture.failedFuture(e);
            }
            if (verdict.isDone()) {
                if (verdict.isCompletedExceptionally()) {
                    onVerdict(null, exceptionOf(verdict));
                } else {
                    onVerdict(verdict.join(), null);
                }
            } else {
                verdict.whenComplete((v, err) -> ctx.executor().execute(() -> onVerdict(v, err)));
            }
        }

        private Throwable exceptionOf(CompletableFuture<?> future) {
            try {
                future.join();
                return null;
            } catch (RuntimeException e) {
                return e.getCause() != null ? e.getCause() : e;
            }
        }

        private void onVerdict(Verdict verdict, Throwable error) {
            if (finished || responseStarted) {
                return;
            }
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof ClickHouseError chError) {
                    fail(chError);
                } else {
                    // Only the type: an interceptor's message may quote the query or a credential.
                    log.warn("query interceptor failed with {}", cause.getClass().getName());
                    fail(new ClickHouseError(ErrorCode.NETWORK_ERROR, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            "chgate could not decide on the query: " + cause.getClass().getSimpleName()));
                }
                return;
            }
            if (verdict instanceof Verdict.Refuse refuse) {
                fail(refuse.error());
                return;
            }
            if (verdict instanceof Verdict.Rewrite rewrite) {
                settings.metrics().rewritten(gatewayUser == null ? null : gatewayUser.name());
                applyRewrite(rewrite.sql());
                if (responseStarted) {
                    return;   // the rewrite could not be applied, and the client has its answer
                }
            } else {
                outgoing = answerContinue ? copyHead(request.uri()) : request;
                if (body != null) {
                    bodyStart = body.takeRaw();
                } else if (form != null) {
                    bodyStart = List.of(form.takeRaw());
                }
            }
            if (valuesDataUnread) {
                outgoing = copyHead(outgoing, QueryUri.withParameter(outgoing.uri(), VALUES_EXPRESSIONS_OFF));
            }
            if (form != null) {
                form.close();
            }
            if (body != null && !decodeRest) {
                body.close();
                body = null;
            }
            maybeSendHead();
        }

        private void applyRewrite(String sql) {
            if (form != null) {
                // The whole query goes into the URL, which ClickHouse reads first; the form's query fields are
                // emptied, so nothing is appended to it.
                outgoing = copyHead(QueryUri.withQuery(request.uri(), sql));
                bodyStart = form.takeWithoutQueryFields();
                if (outgoing.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                    outgoing.headers().set(HttpHeaderNames.CONTENT_LENGTH,
                            HttpUtil.getContentLength(request, 0L) - form.queryFieldBytes());
                }
                return;
            }
            if (body == null) {
                outgoing = copyHead(QueryUri.withQuery(request.uri(), sql));
                return;
            }
            if (!body.streamingDecoder()) {
                fail(new ClickHouseError(ErrorCode.UNKNOWN_COMPRESSION_METHOD, "chgate cannot rewrite a query inside"
                        + " a body with Content-Encoding " + facts.contentEncoding + "; send the query in the URL or"
                        + " use gzip, deflate, br or zstd"));
                return;
            }
            // The whole query moves into the body (ClickHouse reads URL query + newline + body as one text, so a
            // query the client split between the two is equivalent to the whole of it in the body).
            outgoing = copyHead(facts.urlQuery == null ? request.uri() : QueryUri.withQuery(request.uri(), null));
            byte[] sqlBytes = sql.getBytes(StandardCharsets.UTF_8);
            ByteBuf rest = body.takeDataRemainder();
            HttpHeaders headers = outgoing.headers();
            if (body.nativeBlocks()) {
                // Re-encoded into fresh blocks with correct checksums; the block still arriving and everything after
                // it pass on as they came, since they begin at a block boundary.
                byte[] plain = new byte[sqlBytes.length + rest.readableBytes()];
                System.arraycopy(sqlBytes, 0, plain, 0, sqlBytes.length);
                rest.readBytes(plain, sqlBytes.length, rest.readableBytes());
                rest.release();
                ByteBuf encoded = Unpooled.wrappedBuffer(NativeBlocks.encode(plain));
                ByteBuf pending = body.pendingRaw();
                if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                    long consumed = body.rawBytes() - pending.readableBytes();
                    headers.set(HttpHeaderNames.CONTENT_LENGTH, HttpUtil.getContentLength(request, 0L) - consumed
                            + encoded.readableBytes());
                }
                bodyStart = List.of(encoded, pending);
                body.takeRaw().forEach(ByteBuf::release);
                return;
            }
            if (body.encoded()) {
                decodeRest = !requestReceived;
                headers.remove(HttpHeaderNames.CONTENT_ENCODING);
                headers.remove(HttpHeaderNames.CONTENT_LENGTH);
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                long original = HttpUtil.getContentLength(request, 0L);
                long queryBytesInBody = body.rawBytes() - rest.readableBytes();
                headers.set(HttpHeaderNames.CONTENT_LENGTH, original - queryBytesInBody + sqlBytes.length);
            }
            bodyStart = List.of(Unpooled.wrappedBuffer(sqlBytes), rest);
            body.takeRaw().forEach(ByteBuf::release);
        }

        private HttpRequest copyHead(String uri) {
            return copyHead(request, uri);
        }

        private HttpRequest copyHead(HttpRequest from, String uri) {
            HttpRequest copy = new DefaultHttpRequest(from.protocolVersion(), from.method(), uri,
                    from.headers().copy());
            copy.headers().remove(HttpHeaderNames.EXPECT);
            return copy;
        }

        /**
         * Takes a connection to a node: nothing has been sent to any node yet, so a node that cannot be reached is
         * marked down and the next one tried, and the client never hears of it while one answers.
         */
        private void acquireUpstream(Throwable lastFailure) {
            node = settings.upstreams().choose(facts.sessionId, unreachable);
            if (node == null) {
                fail(ClickHouseError.upstreamUnreachable(settings.upstreams().describe(), describe(lastFailure)));
                return;
            }
            node.inFlight.incrementAndGet();
            node.pool.acquire(ctx.channel().eventLoop()).addListener(this::onUpstreamAcquired);
        }

        /**
         * Whether a request whose node went away before answering may go to another: it has no body (so it can be
         * sent again whole) and reads only (so running it twice changes nothing). Anything else gets the 502.
         */
        private boolean retryable() {
            if (facts.hasBody || outgoing == null || settings.upstreams().nodes().size() == 1) {
                return false;
            }
            if (facts.urlQuery == null) {
                return true;
            }
            return io.chgate.sql.Statements.isReadOnly(facts.urlQuery);
        }

        private void leaveNode() {
            if (node != null) {
                node.inFlight.decrementAndGet();
            }
        }

        private void onUpstreamAcquired(io.netty.util.concurrent.Future<? super Void> future) {
            Channel ch = ((ChannelFuture) future).channel();
            if (finished || responseStarted) {
                if (future.isSuccess()) {
                    node.pool.release(ch);
                }
                return;
            }
            if (!future.isSuccess()) {
                leaveNode();
                settings.upstreams().markDown(node, describe(future.cause()));
                if (unreachable.isEmpty()) {
                    unreachable = new java.util.ArrayList<>(2);
                }
                unreachable.add(node);
                node = null;
                acquireUpstream(future.cause());
                return;
            }
            upstream = ch;
            ch.pipeline().get(UpstreamHandler.class).bind(this);
            maybeSendHead();
        }

        @Override
        public void admitted() {
            if (!finished && !responseStarted) {
                admitted = true;
                acquireUpstream(null);
            }
        }

        @Override
        public void refused(ClickHouseError error) {
            fail(error);
        }

        private void maybeSendHead() {
            if (outgoing == null || upstream == null || headSent || finished) {
                return;
            }
            headSent = true;
            headSentNanos = System.nanoTime();
            upstream.write(outgoing).addListener(this::onUpstreamWrite);
            for (ByteBuf buf : bodyStart) {
                upstream.write(new DefaultHttpContent(buf));
            }
            bodyStart = List.of();
            phase = Phase.STREAM;
            while (!held.isEmpty()) {
                forward(held.poll());
            }
            if (requestReceived && !requestSent) {
                upstream.write(LastHttpContent.EMPTY_LAST_CONTENT);
                requestSent = true;
            }
            upstream.flush();
            updateClientReading();
        }

        private void onUpstreamWrite(io.netty.util.concurrent.Future<? super Void> future) {
            if (future.isSuccess() || finished || responseStarted) {
                return;
            }
            if (headSent && upstream != null && upstream.isActive()) {
                // ClickHouse may answer early (an unknown table, say) and close while the body is still being sent:
                // its answer may already be waiting on the socket, so read it rather than report the write. The
                // rest of the client's body has nowhere to go; if no answer comes, the close says so (502).
                if (phase != Phase.DISCARD) {
                    dropBody();
                    phase = Phase.DISCARD;
                }
                upstream.config().setAutoRead(true);
                upstream.read();
                updateClientReading();
                return;
            }
            fail(ClickHouseError.upstreamUnreachable(node.name(), describe(future.cause())));
        }

        private void forward(HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            if (decodeRest) {
                body.decodeMore(content.content(), buf -> upstream.write(new DefaultHttpContent(buf)));
                if (last) {
                    upstream.write(LastHttpContent.EMPTY_LAST_CONTENT);
                }
            } else {
                upstream.write(content);
            }
            if (last) {
                requestSent = true;
                upstream.flush();
            }
        }

        void updateClientReading() {
            // A request without a body holds nothing back: keep reading (pipelined requests wait in the backlog,
            // which stops reading when full), and spare the socket two epoll changes per request.
            boolean read = !facts.hasBody || requestReceived ? backlog.size() < MAX_BACKLOG : switch (phase) {
                case QUERY, DISCARD -> !requestReceived;
                case HOLD -> false;
                case STREAM -> !requestReceived && upstream != null && upstream.isWritable();
            };
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
            if (finished || responseDone) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof ByteBuf bytes) {
                if (maskedError == null) {
                    ctx.write(bytes, ctx.voidPromise());
                    if (!ctx.channel().isWritable()) {
                        upstream.config().setAutoRead(false);
                    }
                } else if (!maskedError.add(bytes)) {
                    maskedError.release();
                    maskedError = null;
                    abort();   // no error ClickHouse writes is this long: cut it rather than pass it on unread
                }
            } else if (msg instanceof ResponseHead head) {
                onResponseHead(head);
            } else if (msg instanceof ResponseFramer.End end) {
                responseBytes = end.bodyBytes();
                upstreamReusable = end.reusable();
                if (maskedError != null) {
                    maskedError.finish().forEach(ctx::write);
                    maskedError = null;
                }
                responseDone = true;
                ctx.flush();
                releaseUpstream();
                if (!requestReceived) {
                    phase = Phase.DISCARD;
                    updateClientReading();
                }
                maybeFinish();
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onResponseHead(ResponseHead head) {
            responseStarted = true;
            settings.metrics().upstreamAnswered(System.nanoTime() - headSentNanos);
            responseStatus = head.status();
            responseKeepAlive = head.keepAlive();
            if (settings.accessLog() != null) {
                queryId = head.header(QUERY_ID);
            }
            if (responseStatus >= 400) {
                errorCode = head.header(ClickHouseHeaders.EXCEPTION_CODE);
                java.util.Set<String> secrets = policy.interceptor().secretValues();
                if (!secrets.isEmpty()) {
                    // The body is read whole and masked: a server's error may quote a credential chgate manages.
                    upstream.pipeline().get(ResponseFramer.class).decodeBody();
                    maskedError = new MaskedErrorBody(head.toHttpResponse(), secrets, ctx.alloc());
                }
            }
        }

        @Override
        public void onUpstreamReadComplete() {
            if (!finished) {
                ctx.flush();
            }
        }

        void onClientWritabilityChanged(boolean writable) {
            if (writable && upstream != null && responseStarted && !responseDone) {
                upstream.config().setAutoRead(true);
            }
        }

        @Override
        public void onUpstreamGone(Throwable cause) {
            upstream = null;
            if (finished || responseDone) {
                return;
            }
            if (!responseStarted) {
                if (retryable()) {
                    // Nothing came back and nothing can have changed: another node answers instead.
                    leaveNode();
                    if (unreachable.isEmpty()) {
                        unreachable = new java.util.ArrayList<>(2);
                    }
                    unreachable.add(node);
                    headSent = false;
                    requestSent = false;
                    acquireUpstream(cause);
                    return;
                }
                fail(ClickHouseError.upstreamUnreachable(node.name(),
                        cause == null ? "it closed the connection before answering" : describe(cause)));
            } else {
                // A response cut short must not look complete: close the client connection without the final
                // chunk (or short of Content-Length), which is how ClickHouse itself ends a failed stream.
                log.warn("upstream connection lost mid-response{}", cause == null ? "" : ": " + cause);
                abort();
            }
        }

        private void releaseUpstream() {
            Channel ch = upstream;
            upstream = null;
            if (ch == null) {
                return;
            }
            ch.pipeline().get(UpstreamHandler.class).unbind();
            if (requestSent && responseKeepAlive && upstreamReusable) {
                node.pool.release(ch);
            } else {
                ch.close();
            }
        }

        // ---- ending ----

        /** Answers with a gateway error if nothing was answered yet, or cuts the connection if it was. */
        private void fail(ClickHouseError error) {
            if (finished) {
                return;
            }
            if (responseStarted) {
                abort();
                return;
            }
            responseStarted = true;
            responseDone = true;
            responseKeepAlive = true;
            responseStatus = error.status().code();
            errorCode = Integer.toString(error.code().number());
            settings.metrics().refused(error.code().number(), gatewayUser == null ? null : gatewayUser.name());
            if (upstream != null) {
                upstream.pipeline().get(UpstreamHandler.class).unbind();
                upstream.close();
                upstream = null;
            }
            dropBody();
            phase = Phase.DISCARD;
            ctx.writeAndFlush(error.toResponse(ctx.alloc(), clientKeepAlive && !malformed));
            responseKeepAlive = !malformed;
            maybeFinish();
            if (!finished) {
                updateClientReading();
            }
        }

        private void abort() {
            finish();
            if (upstream != null) {
                upstream.pipeline().get(UpstreamHandler.class).unbind();
                upstream.close();
                upstream = null;
            }
            ctx.flush();   // what was received still reaches the client; the missing end is the failure signal
            ctx.close();
        }

        void onClientGone() {
            if (!finished) {
                finish();
                if (upstream != null) {
                    upstream.pipeline().get(UpstreamHandler.class).unbind();
                    upstream.close();
                    upstream = null;
                }
            }
        }

        private void maybeFinish() {
            if (finished || !responseDone || !requestReceived) {
                return;
            }
            finish();
            exchangeFinished(clientKeepAlive && responseKeepAlive);
        }

        private void finish() {
            if (!finished) {
                leaveNode();
                if (admissionAsked) {
                    settings.admission().leave(this);
                }
                settings.metrics().requestFinished(responseStatus, request.method().name(),
                        gatewayUser == null ? null : gatewayUser.name(), requestBytes, responseBytes);
                if (settings.accessLog() != null) {
                    settings.accessLog().record(new AccessLog.Entry(String.valueOf(facts.clientAddress),
                            gatewayUser == null ? null : gatewayUser.name(), request.method().name(), facts.path,
                            responseStatus, errorCode, queryId, (System.nanoTime() - startNanos) / 1000,
                            requestBytes, responseBytes, loggedSql));
                }
            }
            finished = true;
            dropBody();
        }

        private void dropBody() {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
            bodyStart.forEach(ByteBuf::release);
            bodyStart = List.of();
            if (body != null) {
                body.close();
                body = null;
            }
            if (form != null) {
                form.close();
            }
            decodeRest = false;
        }

        void checkDeadlines() {
            if (finished) {
                return;
            }
            long now = System.nanoTime();
            long requestNanos = settings.requestTimeout().toNanos();
            if (requestNanos > 0 && now - startNanos > requestNanos) {
                fail(new ClickHouseError(ErrorCode.TIMEOUT_EXCEEDED, "chgate: the request took longer than "
                        + "upstream.request_timeout (" + settings.requestTimeout().toMillis() + " ms)"));
            } else if (now - lastProgressNanos > settings.idleTimeout().toNanos()) {
                fail(new ClickHouseError(ErrorCode.SOCKET_TIMEOUT, "chgate: nothing moved for longer than "
                        + "upstream.idle_timeout (" + settings.idleTimeout().toMillis() + " ms)"));
            }
        }
    }

    private java.net.InetAddress clientAddress() {
        return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a ? a.getAddress()
                : java.net.InetAddress.getLoopbackAddress();
    }

    private static final io.netty.util.AsciiString QUERY_ID = io.netty.util.AsciiString.cached("X-ClickHouse-Query-Id");

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
