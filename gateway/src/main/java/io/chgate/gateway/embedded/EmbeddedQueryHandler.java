package io.chgate.gateway.embedded;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.engine.EngineException;
import io.chgate.gateway.codec.NativeRevision;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.http.RawQueryString;
import io.chgate.sql.InsertData;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * ClickHouse's HTTP interface, for what the in-process engine supports: the query in the URL, the body or both;
 * {@code database}, {@code default_format}, settings as URL parameters, {@code param_*} parameters, {@code query_id};
 * results streamed chunk by chunk as the engine produces them; errors with ClickHouse's codes and statuses.
 * Engine calls block, so they run on the engine's worker threads ({@link StatementRunner}), never on the event loop.
 */
final class EmbeddedQueryHandler extends SimpleChannelInboundHandler<Object> {
    /**
     * Formats whose outputs concatenate block by block (no header, footer or running state), so the engine's streamed
     * chunks together are exactly one output. Every other format's result is made whole.
     */
    private static final Set<String> STREAMABLE_FORMATS = Set.of("tabseparated", "tsv", "tabseparatedraw", "tsvraw",
            "csv", "jsoneachrow", "jsonstringseachrow", "jsoncompacteachrow", "jsoncompactstringseachrow", "jsonlines",
            "ndjson", "rowbinary", "native", "values", "lineasstring", "rawblob", "null");
    /** The largest result made whole in memory, in the engine's own accounting ({@code max_result_bytes}). */
    private static final long MAX_WHOLE_RESULT = 1L << 30;
    /** The longest SQL text read to classify a request: ClickHouse's own {@code max_query_size} is smaller. */
    private static final int MAX_SQL_READ = 1 << 20;

    /** Runs engine cancellations, which may block for seconds, off the event loop and the engine's workers. */
    private static final ExecutorService CANCELLERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chgate-engine-cancel");
        t.setDaemon(true);
        return t;
    });

    private final EmbeddedClickHouse engine;
    private final Executor workers;
    /** Longest a statement waits for an engine connection before it is answered with code 202. */
    private final Duration queueTimeout;
    private final EmbeddedSessions sessions;
    private final EngineAdminLogin admin;
    private final Writability writability = new Writability();

    EmbeddedQueryHandler(EmbeddedClickHouse engine, Executor workers, Duration queueTimeout,
            EmbeddedSessions sessions, EngineAdminLogin admin) {
        this.engine = engine;
        this.workers = workers;
        this.queueTimeout = queueTimeout;
        this.sessions = sessions;
        this.admin = admin;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object message) {
        if (message instanceof StreamedInsert insert) {
            streamedInsert(ctx, insert);
        } else if (message instanceof FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            try {
                wholeRequest(ctx, request, keepAlive);
            } catch (ClickHouseError | EngineException e) {
                EngineReplies.error(ctx, e, keepAlive);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writability.changed();
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * An INSERT whose statement is whole in the URL: the body, all data, goes into the engine as it arrives, never
     * held whole, at the pace the engine takes it.
     */
    private void streamedInsert(ChannelHandlerContext ctx, StreamedInsert request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request.head());
        HttpHeaders headers = request.head().headers();
        String statementText = new String(request.url(), 0, request.insert().statementEnd(), StandardCharsets.UTF_8);
        EngineRequest scope;
        try {
            scope = withStatementCeiling(EngineRequest.of(request.uri(), headers));
            ClickHouseError refused = EngineStatements.refusal(statementText, scope.session() != null, isAdmin(headers));
            if (refused != null) {
                throw refused;
            }
        } catch (ClickHouseError e) {
            request.body().discard();
            EngineReplies.error(ctx, e, keepAlive);
            return;
        }
        // What of the joined "query\n" lies past the data's start (the newline, for a FORMAT clause) is data too.
        byte[] url = request.url();
        int dataStart = request.insert().dataStart();
        InsertBody body = InsertBody.of(() -> new SequenceInputStream(
                new ByteArrayInputStream(url, dataStart, url.length - dataStart),
                InsertBody.decoded(request.body(), headers.get("Content-Encoding"), scope.decompress())),
                request.body());
        EmbeddedClickHouse.Request statement = scope.statement(statementText.getBytes(StandardCharsets.UTF_8));
        StatementRunner runner = new StatementRunner(engine, ctx, writability, keepAlive);
        submit(ctx, keepAlive, request.body()::discard, () -> {
            try {
                inSession(ctx, scope.session(), keepAlive, session -> runner.insert(statement,
                        request.insert().format(), body, scope.queryId(), session));
            } finally {
                body.answered();   // also when the session refused it: the rest of the body must not stall
            }
        });
    }

    private void wholeRequest(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        RawQueryString uri = RawQueryString.parse(request.uri());   // as ClickHouse's server reads it
        if (uri.path().equals("/ping")) {
            EngineReplies.text(ctx, HttpResponseStatus.OK, "Ok.\n", keepAlive);
            return;
        }
        if (!uri.path().equals("/")) {
            EngineReplies.text(ctx, HttpResponseStatus.NOT_FOUND, "There is no handle " + uri.path() + "\n",
                    keepAlive);
            return;
        }
        EngineRequest scope = withStatementCeiling(EngineRequest.of(uri, request.headers()));
        byte[] query = concat(scope.urlQuery(), body(request, scope));
        String sql = new String(query, 0, Math.min(query.length, MAX_SQL_READ), StandardCharsets.ISO_8859_1);
        // An INSERT's data goes into the engine as data: joined to the statement's text, the engine would run
        // whatever follows an empty line in it as more SQL.
        InsertData.Parts insert = InsertData.parts(sql);
        String statementText = new String(query, 0, insert == null ? query.length : insert.statementEnd(),
                StandardCharsets.UTF_8);
        ClickHouseError refused = EngineStatements.refusal(statementText, scope.session() != null,
                isAdmin(request.headers()));
        if (refused != null) {
            throw refused;
        }
        if (scope.session() == null && insert == null && EngineStatements.isSessionState(statementText)) {
            // Without a session, ClickHouse's server scopes SET and USE to the request: they change nothing after it.
            EngineReplies.empty(ctx, UUID.randomUUID().toString(), "TabSeparated", keepAlive);
        } else if (sql.isBlank()) {
            if (request.method().equals(HttpMethod.GET)) {
                EngineReplies.text(ctx, HttpResponseStatus.OK, "Ok.\n", keepAlive);
            } else {
                throw new ClickHouseError(ErrorCode.EMPTY_QUERY, "Empty query");
            }
        } else if (insert != null) {
            byte[] data = Arrays.copyOfRange(query, insert.dataStart(), query.length);
            InsertBody insertBody = InsertBody.of(() -> new ByteArrayInputStream(data), null);
            EmbeddedClickHouse.Request statement = scope.statement(statementText.getBytes(StandardCharsets.UTF_8));
            StatementRunner runner = new StatementRunner(engine, ctx, writability, keepAlive);
            submit(ctx, keepAlive, () -> { }, () -> inSession(ctx, scope.session(), keepAlive,
                    session -> runner.insert(statement, insert.format(), insertBody, scope.queryId(), session)));
        } else {
            query(ctx, scope, query, sql, EngineStatements.usedDatabase(statementText), keepAlive);
        }
    }

    /**
     * A statement's memory is bounded by half the engine's ceiling unless the request bounds it lower (the settings
     * policy refuses a higher bound or 0): one statement cannot take the memory every other user's statements need.
     */
    private EngineRequest withStatementCeiling(EngineRequest scope) {
        scope.settings().putIfAbsent("max_memory_usage", Long.toString(engine.maxMemoryBytes() / 2));
        return scope;
    }

    /** A statement with a result: queued for a worker, stopped when its client goes away. */
    private void query(ChannelHandlerContext ctx, EngineRequest scope, byte[] query, String sql, String used,
            boolean keepAlive) {
        String format = EngineStatements.formatInEffect(sql, scope.format());
        boolean streamable = STREAMABLE_FORMATS.contains(format.toLowerCase(Locale.ROOT));
        if (!streamable) {
            // Made whole in memory: bounded by ClickHouse's own result limit, with ClickHouse's error past it.
            scope.settings().putIfAbsent("max_result_bytes", Long.toString(MAX_WHOLE_RESULT));
            scope.settings().putIfAbsent("result_overflow_mode", "throw");
        }
        StatementRunner.Output out = new StatementRunner.Output(scope.queryId(), format, scope.compress(), streamable,
                nativeForClient(scope, format));
        EmbeddedClickHouse.Request statement = scope.statement(query);
        EmbeddedClickHouse.Cancellation cancellation = engine.cancellation();
        // A client that goes away stops its statement: on another thread, since the engine may take seconds. Only
        // while the statement lasts: a pooled connection carries thousands, and must not gather a listener (and, when
        // it closes, a KILL QUERY) for each of them.
        GenericFutureListener<Future<? super Void>> cancelOnClose = f -> CANCELLERS.execute(cancellation::cancel);
        ctx.channel().closeFuture().addListener(cancelOnClose);
        Runnable ended = () -> ctx.channel().closeFuture().removeListener(cancelOnClose);
        StatementRunner runner = new StatementRunner(engine, ctx, writability, keepAlive);
        long queued = System.nanoTime();
        submit(ctx, keepAlive, ended, () -> {
            try {
                if (!ctx.channel().isActive() || cancellation.cancelled()) {
                    return;   // abandoned while it waited: nothing to run, no one to answer
                }
                if (System.nanoTime() - queued > queueTimeout.toNanos()) {
                    EngineReplies.error(ctx, new ClickHouseError(ErrorCode.TOO_MANY_SIMULTANEOUS_QUERIES, "Too many"
                            + " simultaneous queries: every connection of the embedded engine was busy for "
                            + queueTimeout.toSeconds() + " s"), keepAlive);
                    return;
                }
                inSession(ctx, scope.session(), keepAlive, session -> {
                    if (runner.query(statement, out, cancellation, session) && session != null && used != null) {
                        session.use(used);
                    }
                });
            } finally {
                ended.run();
            }
        });
    }

    /** Hands the work to an engine worker; with every worker busy and the queue full, the answer is code 202. */
    private void submit(ChannelHandlerContext ctx, boolean keepAlive, Runnable onRejected, Runnable work) {
        try {
            workers.execute(work);
        } catch (RejectedExecutionException e) {
            onRejected.run();
            EngineReplies.error(ctx, new ClickHouseError(ErrorCode.TOO_MANY_SIMULTANEOUS_QUERIES, "Too many"
                    + " simultaneous queries for the embedded engine"), keepAlive);
        }
    }

    interface SessionWork {
        void run(EmbeddedClickHouse.Session session);
    }

    /** Runs the work on the request's session (held for it alone), or on the pool when it names none. */
    private void inSession(ChannelHandlerContext ctx, SessionRequest request, boolean keepAlive, SessionWork work) {
        if (request == null) {
            work.run(null);
            return;
        }
        EmbeddedSessions.Held held;
        try {
            held = sessions.acquire(request.user(), request.id(), request.check(), request.timeout());
        } catch (ClickHouseError | EngineException e) {
            EngineReplies.error(ctx, e, keepAlive);
            return;
        }
        try {
            work.run(held.session);
        } finally {
            sessions.release(held, request.close());
        }
    }

    private boolean isAdmin(HttpHeaders headers) {
        return admin != null && admin.matches(headers);
    }

    /** The request's body, decoded as ClickHouse decodes it ({@code Content-Encoding}, then {@code decompress}). */
    private static byte[] body(FullHttpRequest request, EngineRequest scope) {
        String type = request.headers().get("Content-Type");
        if (type != null && type.regionMatches(true, 0, "multipart/", 0, 10)) {
            throw new ClickHouseError(ErrorCode.NOT_IMPLEMENTED, "the embedded engine does not take"
                    + " multipart/form-data requests (external tables); send the query in the URL or the body");
        }
        try {
            return InsertBody.decoded(new ByteArrayInputStream(ByteBufUtil.getBytes(request.content())),
                    request.headers().get("Content-Encoding"), scope.decompress()).readAllBytes();
        } catch (IOException e) {
            throw new ClickHouseError(ErrorCode.CANNOT_DECOMPRESS, "Cannot decode the request body: "
                    + e.getMessage());
        }
    }

    /** ClickHouse's rule: the query parameter, a newline, then the body — as bytes, since INSERT data may be binary. */
    private static byte[] concat(String urlQuery, byte[] body) {
        if (urlQuery == null) {
            return body;
        }
        byte[] head = urlQuery.getBytes(StandardCharsets.UTF_8);
        if (body.length == 0) {
            return head;
        }
        byte[] all = new byte[head.length + 1 + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = '\n';
        System.arraycopy(body, 0, all, head.length + 1, body.length);
        return all;
    }

    /**
     * Native output as the server writes it for the client's {@code client_protocol_version} (clickhouse-go sends
     * one); null when the engine's own revision-0 output is already what the client asked for.
     */
    private static NativeRevision nativeForClient(EngineRequest scope, String format) {
        long revision;
        try {
            revision = NativeRevision.parse(scope.params().first("client_protocol_version"));
        } catch (IllegalArgumentException e) {
            throw new ClickHouseError(ErrorCode.BAD_ARGUMENTS, e.getMessage());
        }
        if (revision == 0 || !format.equals("Native")) {
            return null;
        }
        if (!"0".equals(scope.settings().getOrDefault("output_format_native_encode_types_in_binary_format", "0"))) {
            throw new ClickHouseError(ErrorCode.BAD_ARGUMENTS, "output_format_native_encode_types_in_binary_format"
                    + " with client_protocol_version is not supported by chgate's embedded engine");
        }
        return new NativeRevision(revision);
    }
}
