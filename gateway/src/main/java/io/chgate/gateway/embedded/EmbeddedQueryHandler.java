package io.chgate.gateway.embedded;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.engine.EngineException;
import io.chgate.gateway.codec.NativeRevision;
import io.chgate.gateway.error.ClickHouseHeaders;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.error.HttpStatusForCode;
import io.chgate.gateway.http.RawQueryString;
import io.chgate.sql.InsertData;
import io.chgate.sql.Lexer;
import io.chgate.sql.TokenType;
import io.chgate.sql.Tokens;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * ClickHouse's HTTP interface, for what the in-process engine supports: the query in the URL, the body or both;
 * {@code database}, {@code default_format}, settings as URL parameters, {@code param_*} parameters, {@code query_id};
 * results streamed chunk by chunk as the engine produces them; errors with ClickHouse's codes and statuses.
 * Engine calls block, so they run on the engine's worker threads, never on the event loop.
 */
final class EmbeddedQueryHandler extends SimpleChannelInboundHandler<Object> {
    /** URL parameters that are not settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("query", "database", "default_format", "query_id", "user",
            "password", "quota_key", "session_id", "session_timeout", "session_check", "close_session",
            "client_protocol_version", "compress", "decompress",
            "buffer_size", "wait_end_of_query", "stacktrace", "role", "enable_http_compression");

    private final EmbeddedClickHouse engine;
    private final Executor workers;
    private final Object writable = new Object();
    /** Longest a statement waits for an engine connection before it is answered with code 202. */
    private final java.time.Duration queueTimeout;
    private final EmbeddedSessions sessions;
    /**
     * Formats whose outputs concatenate block by block (no header, footer or running state), so the engine's streamed
     * chunks together are exactly one output. Every other format's result is made whole.
     */
    private static final Set<String> STREAMABLE_FORMATS = Set.of("tabseparated", "tsv", "tabseparatedraw", "tsvraw",
            "csv", "jsoneachrow", "jsonstringseachrow", "jsoncompacteachrow", "jsoncompactstringseachrow", "jsonlines",
            "ndjson", "rowbinary", "native", "values", "lineasstring", "rawblob", "null");
    /** The largest result made whole in memory, in the engine's own accounting ({@code max_result_bytes}). */
    private static final long MAX_WHOLE_RESULT = 1L << 30;
    /** Insert data goes into the engine in pieces of this size. */
    private static final int INSERT_CHUNK = 1 << 20;

    EmbeddedQueryHandler(EmbeddedClickHouse engine, Executor workers, java.time.Duration queueTimeout,
            EmbeddedSessions sessions, EngineAdminLogin admin) {
        this.engine = engine;
        this.workers = workers;
        this.queueTimeout = queueTimeout;
        this.sessions = sessions;
        this.admin = admin;
    }

    private final EngineAdminLogin admin;

    /** Runs engine cancellations, which may block for seconds, off the event loop and the engine's workers. */
    private static final java.util.concurrent.ExecutorService CANCELLERS =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "chgate-engine-cancel");
                t.setDaemon(true);
                return t;
            });

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object message) {
        if (message instanceof StreamedInsert insert) {
            streamedInsert(ctx, insert);
        } else if (message instanceof FullHttpRequest request) {
            wholeRequest(ctx, request);
        }
    }

    /**
     * An INSERT whose statement is whole in the URL: the body, all data, goes into the engine as it arrives, never
     * held whole, at the pace the engine takes it.
     */
    private void streamedInsert(ChannelHandlerContext ctx, StreamedInsert request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request.head());
        Map<String, List<String>> params = request.uri().asMap();
        EngineException refused = null;
        SessionRequest sessionRequest = null;
        try {
            sessionRequest = SessionRequest.of(params, request.head().headers().get("X-ClickHouse-User"));
        } catch (EngineException e) {
            refused = e;
        }
        String statementText = new String(request.url(), 0, request.insert().statementEnd(), StandardCharsets.UTF_8);
        if (refused == null) {
            refused = checkStatement(statementText, sessionRequest != null, isAdmin(request.head().headers()));
        }
        if (refused != null) {
            request.body().discard();
            error(ctx, refused, keepAlive);
            return;
        }
        // What of the joined "query\n" lies past the data's start (the newline, for a FORMAT clause) is data too.
        byte[] url = request.url();
        int dataStart = request.insert().dataStart();
        String encoding = request.head().headers().get("Content-Encoding");
        boolean decompress = "1".equals(first(params, "decompress"));
        InsertBody body = InsertBody.of(() -> new java.io.SequenceInputStream(
                new java.io.ByteArrayInputStream(url, dataStart, url.length - dataStart),
                InsertBody.decoded(request.body(), encoding, decompress)), request.body());
        Scope scope = Scope.of(params, request.head().headers());
        EmbeddedClickHouse.Request statement = new EmbeddedClickHouse.Request(statementText, scope.format(),
                scope.database(), scope.settings(), scope.parameters());
        SessionRequest session = sessionRequest;
        try {
            workers.execute(() -> {
                try {
                    inSession(ctx, session, keepAlive, s -> runInsert(ctx, statement, request.insert().format(), body,
                            scope.id(), keepAlive, s));
                } finally {
                    body.answered();   // also when the session refused it: the rest of the body must not stall
                }
            });
        } catch (RejectedExecutionException e) {
            request.body().discard();
            error(ctx, new EngineException(202, "Code: 202. DB::Exception: Too many simultaneous queries for the "
                    + "embedded engine. (TOO_MANY_SIMULTANEOUS_QUERIES)"), keepAlive);
        }
    }

    private void wholeRequest(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        RawQueryString uri;
        try {
            uri = RawQueryString.parse(request.uri());   // as ClickHouse's server reads it: '&' only, '+' a space
        } catch (io.chgate.gateway.error.ClickHouseError e) {
            error(ctx, new EngineException(e.code().number(), "Code: " + e.code().number() + ". DB::Exception: "
                    + e.getMessage()), keepAlive);
            return;
        }
        if (uri.path().equals("/ping")) {
            reply(ctx, HttpResponseStatus.OK, "Ok.\n", keepAlive);
            return;
        }
        if (!uri.path().equals("/")) {
            reply(ctx, HttpResponseStatus.NOT_FOUND, "There is no handle " + uri.path() + "\n", keepAlive);
            return;
        }
        Map<String, List<String>> params = uri.asMap();
        String urlQuery = first(params, "query");
        SessionRequest sessionRequest;
        try {
            sessionRequest = SessionRequest.of(params, request.headers().get("X-ClickHouse-User"));
        } catch (EngineException e) {
            error(ctx, e, keepAlive);
            return;
        }
        byte[] body;
        try {
            if (isMultipart(request)) {
                throw new io.chgate.gateway.error.ClickHouseError(io.chgate.gateway.error.ErrorCode.NOT_IMPLEMENTED,
                        "the embedded engine does not take multipart/form-data requests (external tables); send the"
                                + " query in the URL or the body");
            }
            body = InsertBody.decoded(new java.io.ByteArrayInputStream(
                    io.netty.buffer.ByteBufUtil.getBytes(request.content())), request.headers().get("Content-Encoding"),
                    "1".equals(first(params, "decompress"))).readAllBytes();
        } catch (java.io.IOException e) {
            error(ctx, new EngineException(271, "Code: 271. DB::Exception: Cannot decode the request body: "
                    + e.getMessage() + ". (CANNOT_DECOMPRESS)"), keepAlive);
            return;
        } catch (io.chgate.gateway.error.ClickHouseError e) {
            error(ctx, new EngineException(e.code().number(), "Code: " + e.code().number() + ". DB::Exception: "
                    + e.getMessage()), keepAlive);
            return;
        }
        boolean compress = "1".equals(first(params, "compress"));
        byte[] query = concat(urlQuery, body);
        String sql = new String(query, 0, Math.min(query.length, 1 << 20), StandardCharsets.ISO_8859_1);
        // An INSERT's data goes into the engine as data: joined to the statement's text, the engine would run
        // whatever follows an empty line in it as more SQL.
        InsertData.Parts insert = InsertData.parts(sql);
        String statementText = new String(query, 0, insert == null ? query.length : insert.statementEnd(),
                StandardCharsets.UTF_8);
        EngineException unreadable = checkStatement(statementText, sessionRequest != null,
                isAdmin(request.headers()));
        if (unreadable != null) {
            error(ctx, unreadable, keepAlive);
            return;
        }
        String used = insert == null ? usedDatabase(statementText) : null;
        if (sessionRequest == null && insert == null && isSessionState(statementText)) {
            // Without a session, ClickHouse's server scopes SET and USE to the request: they change nothing after it.
            ctx.write(head(UUID.randomUUID().toString(), "TabSeparated", keepAlive));
            var done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) {
                done.addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        if (sql.isBlank()) {
            if (request.method().name().equals("GET") && uri.path().equals("/")) {
                reply(ctx, HttpResponseStatus.OK, "Ok.\n", keepAlive);
            } else {
                error(ctx, new EngineException(211, "Code: 211. DB::Exception: Empty query. (EMPTY_QUERY)"), keepAlive);
            }
            return;
        }
        Scope scope = Scope.of(params, request.headers());
        Map<String, String> settings = scope.settings();
        Map<String, String> parameters = scope.parameters();
        String format = scope.format();
        String database = scope.database();
        String id = scope.id();
        if (insert != null) {
            EmbeddedClickHouse.Request statement = new EmbeddedClickHouse.Request(statementText, format, database,
                    settings, parameters);
            byte[] data = java.util.Arrays.copyOfRange(query, insert.dataStart(), query.length);
            InsertBody insertBody = InsertBody.of(() -> new java.io.ByteArrayInputStream(data), null);
            try {
                workers.execute(() -> inSession(ctx, sessionRequest, keepAlive,
                        session -> runInsert(ctx, statement, insert.format(), insertBody, id, keepAlive, session)));
            } catch (RejectedExecutionException e) {
                error(ctx, new EngineException(202, "Code: 202. DB::Exception: Too many simultaneous queries for the "
                        + "embedded engine. (TOO_MANY_SIMULTANEOUS_QUERIES)"), keepAlive);
            }
            return;
        }
        String shownFormat = formatInEffect(sql, format);
        boolean streamable = STREAMABLE_FORMATS.contains(shownFormat.toLowerCase(Locale.ROOT));
        if (!streamable) {
            // Made whole in memory: bounded by ClickHouse's own result limit, with ClickHouse's error past it.
            settings.putIfAbsent("max_result_bytes", Long.toString(MAX_WHOLE_RESULT));
            settings.putIfAbsent("result_overflow_mode", "throw");
        }
        EmbeddedClickHouse.Request statement = new EmbeddedClickHouse.Request(query, format, database, settings,
                parameters);
        NativeRevision nativeOut;
        try {
            nativeOut = nativeForClient(params, shownFormat, settings);
        } catch (IllegalArgumentException e) {
            error(ctx, new EngineException(ErrorCode.BAD_ARGUMENTS.number(), "Code: 36. DB::Exception: "
                    + e.getMessage() + ". (BAD_ARGUMENTS)"), keepAlive);
            return;
        }
        EmbeddedClickHouse.Cancellation cancellation = engine.cancellation();
        // A client that goes away stops its statement: on another thread, since the engine may take seconds.
        ctx.channel().closeFuture().addListener(f -> CANCELLERS.execute(cancellation::cancel));
        long queued = System.nanoTime();
        try {
            workers.execute(() -> {
                if (!ctx.channel().isActive() || cancellation.cancelled()) {
                    return;   // abandoned while it waited: nothing to run, no one to answer
                }
                if (System.nanoTime() - queued > queueTimeout.toNanos()) {
                    error(ctx, new EngineException(202, "Code: 202. DB::Exception: Too many simultaneous queries:"
                            + " every connection of the embedded engine was busy for " + queueTimeout.toSeconds()
                            + " s. (TOO_MANY_SIMULTANEOUS_QUERIES)"), keepAlive);
                    return;
                }
                inSession(ctx, sessionRequest, keepAlive, session -> {
                    if (run(ctx, statement, id, shownFormat, keepAlive, compress, streamable, cancellation, session,
                            nativeOut)
                            && session != null && used != null) {
                        session.use(used);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            error(ctx, new EngineException(202, "Code: 202. DB::Exception: Too many simultaneous queries for the "
                    + "embedded engine. (TOO_MANY_SIMULTANEOUS_QUERIES)"), keepAlive);
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

    private void runInsert(ChannelHandlerContext ctx, EmbeddedClickHouse.Request statement, String inputFormat,
            InsertBody body, String queryId, boolean keepAlive, EmbeddedClickHouse.Session session) {
        try {
            long written = engine.insert(statement, inputFormat, body::next, session);
            HttpResponse response = head(queryId, "TabSeparated", keepAlive);
            response.headers().set("X-ClickHouse-Summary", "{\"read_rows\":\"0\",\"read_bytes\":\"0\","
                    + "\"written_rows\":\"" + written + "\",\"written_bytes\":\"" + body.bytes() + "\","
                    + "\"total_rows_to_read\":\"0\",\"result_rows\":\"" + written + "\",\"result_bytes\":\""
                    + body.bytes() + "\"}");
            ctx.write(response);
            var done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) {
                done.addListener(ChannelFutureListener.CLOSE);
            }
        } catch (EngineException e) {
            error(ctx, e, keepAlive);
        } catch (RuntimeException e) {
            ctx.close();
        } finally {
            body.answered();
        }
    }

    private boolean isAdmin(io.netty.handler.codec.http.HttpHeaders headers) {
        return admin != null && admin.matches(headers);
    }

    /** A ClickHouse-style error for a text the server would refuse before running anything, or null. */
    private static EngineException checkStatement(String sql, boolean inSession, boolean admin) {
        Tokens t;
        try {
            t = Lexer.tokenize(sql);
        } catch (io.chgate.sql.SqlParseException e) {
            return new EngineException(62, "Code: 62. DB::Exception: Syntax error: " + e.getMessage()
                    + ". (SYNTAX_ERROR)");
        }
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.type(i) == TokenType.SEMICOLON) {
                return new EngineException(62, "Code: 62. DB::Exception: Syntax error (Multi-statements are not"
                        + " allowed): failed at position " + (t.start(i) + 1) + ". (SYNTAX_ERROR)");
            }
        }
        // The second wall: the engine runs every statement as one all-powerful user, so what the gateway's policy
        // refuses is refused here too, for anything that reaches this loopback port without passing the gateway.
        // chgate's own admin work goes to the engine on its own channel, never through this port.
        String refusal = admin ? null : io.chgate.sql.StatementPolicy.refusal(sql);
        if (refusal != null) {
            return new EngineException(497, "Code: 497. DB::Exception: " + refusal + ". (ACCESS_DENIED)");
        }
        if (!inSession && t.size() >= 2 && isWord(sql, t, 0, "CREATE") && (isWord(sql, t, 1, "TEMPORARY")
                || t.size() >= 4 && isWord(sql, t, 1, "OR") && isWord(sql, t, 3, "TEMPORARY"))) {
            return new EngineException(48, "Code: 48. DB::Exception: temporary tables live in a session: send"
                    + " a session_id. (NOT_IMPLEMENTED)");
        }
        return null;
    }

    /** The session a request names: ClickHouse's {@code session_*} parameters, or null for none. */
    /** What ClickHouse reads from the URL or, as client libraries send them, from request headers. */
    record Scope(Map<String, String> settings, Map<String, String> parameters, String format, String database,
            String id) {
        static Scope of(Map<String, List<String>> params, io.netty.handler.codec.http.HttpHeaders headers) {
            Map<String, String> settings = new LinkedHashMap<>();
            Map<String, String> parameters = new LinkedHashMap<>();
            params.forEach((name, values) -> {
                String value = values.get(values.size() - 1);
                if (name.startsWith("param_")) {
                    parameters.put(name.substring(6), value);
                } else if (!NOT_SETTINGS.contains(name)) {
                    settings.put(name, value);
                }
            });
            String format = firstOr(params, "default_format", headers.get("X-ClickHouse-Format"));
            String database = firstOr(params, "database", headers.get("X-ClickHouse-Database"));
            String queryId = firstOr(params, "query_id", headers.get("X-ClickHouse-Query-Id"));
            return new Scope(settings, parameters, format == null ? "TabSeparated" : format, database,
                    queryId == null || queryId.isEmpty() ? UUID.randomUUID().toString() : queryId);
        }

        private static String firstOr(Map<String, List<String>> params, String name, String fallback) {
            String value = first(params, name);
            return value == null ? fallback : value;
        }
    }

    record SessionRequest(String user, String id, boolean check, boolean close, java.time.Duration timeout) {
        static SessionRequest of(Map<String, List<String>> params, String user) {
            String id = first(params, "session_id");
            if (id == null || id.isEmpty()) {
                return null;
            }
            java.time.Duration timeout = EmbeddedSessions.DEFAULT_TIMEOUT;
            String seconds = first(params, "session_timeout");
            if (seconds != null) {
                try {
                    timeout = java.time.Duration.ofSeconds(Long.parseLong(seconds));
                } catch (NumberFormatException e) {
                    throw new EngineException(72, "Code: 72. DB::Exception: Cannot parse session_timeout. "
                            + "(CANNOT_PARSE_NUMBER)");
                }
                if (timeout.isNegative() || timeout.compareTo(EmbeddedSessions.MAX_TIMEOUT) > 0) {
                    throw new EngineException(70, "Code: 70. DB::Exception: Session timeout must be between 0 and "
                            + EmbeddedSessions.MAX_TIMEOUT.toSeconds() + " seconds. (INVALID_SESSION_TIMEOUT)");
                }
            }
            return new SessionRequest(user == null || user.isEmpty() ? "default" : user, id,
                    "1".equals(first(params, "session_check")), "1".equals(first(params, "close_session")), timeout);
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
        } catch (EngineException e) {
            error(ctx, e, keepAlive);
            return;
        }
        try {
            work.run(held.session);
        } finally {
            sessions.release(held, request.close());
        }
    }

    /** The database a {@code USE} statement makes current, or null for any other statement. */
    private static String usedDatabase(String sql) {
        try {
            Tokens t = Lexer.tokenize(sql);
            if (t.size() >= 2 && isWord(sql, t, 0, "USE")) {
                String name = sql.substring(t.start(1), t.end(1));
                return t.type(1) == TokenType.QUOTED_IDENTIFIER ? io.chgate.sql.SqlText.unquoteString(name) : name;
            }
        } catch (io.chgate.sql.SqlParseException e) {
            // not a USE the engine will run either
        }
        return null;
    }

    /** {@code SET ...} (but not a parameterless statement) or {@code USE db}: state of a session. */
    private static boolean isSessionState(String sql) {
        try {
            Tokens t = Lexer.tokenize(sql);
            return t.size() > 1 && (isWord(sql, t, 0, "SET") || isWord(sql, t, 0, "USE"));
        } catch (io.chgate.sql.SqlParseException e) {
            return false;
        }
    }

    private static boolean isWord(String sql, Tokens t, int i, String word) {
        return t.type(i) == TokenType.WORD && t.end(i) - t.start(i) == word.length()
                && sql.regionMatches(true, t.start(i), word, 0, word.length());
    }

    private static boolean isMultipart(FullHttpRequest request) {
        String type = request.headers().get("Content-Type");
        return type != null && type.regionMatches(true, 0, "multipart/", 0, 10);
    }

    /**
     * Native output as the server writes it for the client's {@code client_protocol_version} (clickhouse-go sends
     * one); null when the engine's own revision-0 output is already what the client asked for.
     */
    private static NativeRevision nativeForClient(Map<String, List<String>> params, String format,
            Map<String, String> settings) {
        long revision = NativeRevision.parse(first(params, "client_protocol_version"));
        if (revision == 0 || !format.equals("Native")) {
            return null;
        }
        if (!"0".equals(settings.getOrDefault("output_format_native_encode_types_in_binary_format", "0"))) {
            throw new IllegalArgumentException("output_format_native_encode_types_in_binary_format with "
                    + "client_protocol_version is not supported by chgate's embedded engine");
        }
        return new NativeRevision(revision);
    }

    /** Runs the statement and answers; true when it succeeded. */
    private boolean run(ChannelHandlerContext ctx, EmbeddedClickHouse.Request statement, String queryId, String format,
            boolean keepAlive, boolean compress, boolean streamable, EmbeddedClickHouse.Cancellation cancellation,
            EmbeddedClickHouse.Session session, NativeRevision nativeOut) {
        boolean[] started = {false};
        EngineException[] unconvertible = {null};
        try {
            engine.execute(statement, chunk -> {
                if (!ctx.channel().isActive()) {
                    return false;   // the client went away: cancel the query
                }
                byte[] body = chunk;
                if (nativeOut != null) {
                    try {
                        body = nativeOut.convert(chunk);
                    } catch (IllegalArgumentException e) {
                        unconvertible[0] = new EngineException(ErrorCode.NOT_IMPLEMENTED.number(), "Code: 48. "
                                + "DB::Exception: " + e.getMessage() + ". (NOT_IMPLEMENTED)");
                        return false;
                    }
                }
                if (!started[0]) {
                    started[0] = true;
                    ctx.write(head(queryId, format, keepAlive));
                }
                if (body.length > 0) {
                    byte[] out = compress ? io.chgate.gateway.codec.NativeBlocks.encode(body) : body;
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(out)));
                    awaitWritable(ctx);
                }
                return true;
            }, streamable, cancellation, session);
            if (unconvertible[0] != null) {
                throw unconvertible[0];
            }
            if (nativeOut != null) {
                try {
                    nativeOut.finish();
                } catch (IllegalArgumentException e) {
                    throw new EngineException(ErrorCode.NOT_IMPLEMENTED.number(), "Code: 48. DB::Exception: "
                            + e.getMessage() + ". (NOT_IMPLEMENTED)");
                }
            }
            if (!started[0]) {
                ctx.write(head(queryId, format, keepAlive));
            }
            var done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) {
                done.addListener(ChannelFutureListener.CLOSE);
            }
            return true;
        } catch (EngineException e) {
            if (started[0]) {
                // Mid-stream: the error text goes into the body and the response is cut without its last chunk,
                // which is how ClickHouse itself ends a result that fails half way.
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(e.getMessage() + "\n",
                        StandardCharsets.UTF_8))).addListener(ChannelFutureListener.CLOSE);
            } else {
                error(ctx, e, keepAlive);
            }
        } catch (RuntimeException e) {
            ctx.close();
        }
        return false;
    }

    /** Blocks this worker while the connection's outbound buffer is full: the engine produces no faster than the client reads. */
    private void awaitWritable(ChannelHandlerContext ctx) {
        synchronized (writable) {
            while (ctx.channel().isActive() && !ctx.channel().isWritable()) {
                try {
                    writable.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        synchronized (writable) {
            writable.notifyAll();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private static HttpResponse head(String queryId, String format, boolean keepAlive) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set("Content-Type", contentType(format))
                .set("X-ClickHouse-Format", format)
                .set("X-ClickHouse-Query-Id", queryId)
                .set("X-ClickHouse-Timezone", "UTC")
                .set("X-ClickHouse-Server-Display-Name", "chgate-embedded")
                // As ClickHouse does for a streamed result: the progress so far, which at the head is none.
                .set("X-ClickHouse-Summary", "{\"read_rows\":\"0\",\"read_bytes\":\"0\",\"written_rows\":\"0\","
                        + "\"written_bytes\":\"0\",\"total_rows_to_read\":\"0\",\"result_rows\":\"0\","
                        + "\"result_bytes\":\"0\"}")
                .set("Transfer-Encoding", "chunked")
                .set("Connection", keepAlive ? "Keep-Alive" : "Close");
        return response;
    }

    private static void reply(ChannelHandlerContext ctx, HttpResponseStatus status, String text, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        response.headers().set("Content-Type", "text/plain; charset=UTF-8")
                .set("Content-Length", response.content().readableBytes())
                .set("Connection", keepAlive ? "Keep-Alive" : "Close");
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void error(ChannelHandlerContext ctx, EngineException e, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpStatusForCode.of(e.code()),
                Unpooled.copiedBuffer(e.getMessage() + "\n", StandardCharsets.UTF_8));
        response.headers().set("Content-Type", "text/plain; charset=UTF-8")
                .set("Content-Length", response.content().readableBytes())
                .set(ClickHouseHeaders.EXCEPTION_CODE, e.code())
                .set("Connection", keepAlive ? "Keep-Alive" : "Close");
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The output format: a trailing {@code FORMAT name} of the statement wins over {@code default_format}. */
    static String formatInEffect(String sql, String defaultFormat) {
        try {
            Tokens t = Lexer.tokenize(sql);
            int depth = 0;
            String found = null;
            for (int i = 0; i < t.size(); i++) {
                TokenType type = t.type(i);
                if (type == TokenType.LPAREN) {
                    depth++;
                } else if (type == TokenType.RPAREN) {
                    depth--;
                } else if (depth == 0 && type == TokenType.WORD && i + 1 < t.size()
                        && sql.regionMatches(true, t.start(i), "FORMAT", 0, 6) && t.end(i) - t.start(i) == 6) {
                    if (sql.regionMatches(true, t.start(0), "INSERT", 0, 6)) {
                        return defaultFormat;   // an INSERT's FORMAT names its input, not its output
                    }
                    found = sql.substring(t.start(i + 1), t.end(i + 1));
                }
            }
            return found == null ? defaultFormat : found;
        } catch (RuntimeException e) {
            return defaultFormat;
        }
    }

    static String contentType(String format) {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.startsWith("tabseparated") || f.startsWith("tsv")) {
            return "text/tab-separated-values; charset=UTF-8";
        }
        if (f.startsWith("csv")) {
            return "text/csv; charset=UTF-8; header=absent";
        }
        if (f.startsWith("json") || f.startsWith("ndjson")) {
            return "application/json; charset=UTF-8";
        }
        if (f.equals("nativeOut") || f.startsWith("rowbinary") || f.equals("parquet") || f.equals("arrow")
                || f.equals("orc") || f.equals("avro")) {
            return "application/octet-stream";
        }
        return "text/plain; charset=UTF-8";
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
