package io.chgate.gateway.embedded;

import io.chgate.engine.EngineException;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ClickHouseHeaders;
import io.chgate.gateway.error.HttpStatusForCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The engine front's answers, with the heads, statuses and error bodies ClickHouse's server writes. */
final class EngineReplies {
    private static final String NO_PROGRESS = "{\"read_rows\":\"0\",\"read_bytes\":\"0\",\"written_rows\":\"0\","
            + "\"written_bytes\":\"0\",\"total_rows_to_read\":\"0\",\"result_rows\":\"0\",\"result_bytes\":\"0\"}";

    private EngineReplies() {
    }

    /** The head of a streamed result; as ClickHouse does, its summary is the progress so far, which is none. */
    static HttpResponse head(String queryId, String format, boolean keepAlive) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set("Content-Type", contentType(format))
                .set("X-ClickHouse-Format", format)
                .set("X-ClickHouse-Query-Id", queryId)
                .set("X-ClickHouse-Timezone", "UTC")
                .set("X-ClickHouse-Server-Display-Name", "chgate-embedded")
                .set("X-ClickHouse-Summary", NO_PROGRESS)
                .set("Transfer-Encoding", "chunked")
                .set("Connection", keepAlive ? "Keep-Alive" : "Close");
        return response;
    }

    /** The head of an INSERT's answer: its summary counts the rows and bytes written. */
    static HttpResponse insertHead(String queryId, long rows, long bytes, boolean keepAlive) {
        HttpResponse response = head(queryId, "TabSeparated", keepAlive);
        response.headers().set("X-ClickHouse-Summary", "{\"read_rows\":\"0\",\"read_bytes\":\"0\","
                + "\"written_rows\":\"" + rows + "\",\"written_bytes\":\"" + bytes + "\","
                + "\"total_rows_to_read\":\"0\",\"result_rows\":\"" + rows + "\",\"result_bytes\":\"" + bytes + "\"}");
        return response;
    }

    /** A whole answer with no rows: the head and the end of the body. */
    static void empty(ChannelHandlerContext ctx, String queryId, String format, boolean keepAlive) {
        ctx.write(head(queryId, format, keepAlive));
        end(ctx, keepAlive);
    }

    /** Ends a streamed body (and the connection when it is not kept alive). */
    static void end(ChannelHandlerContext ctx, boolean keepAlive) {
        closeUnlessKept(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
    }

    static void text(ChannelHandlerContext ctx, HttpResponseStatus status, String text, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        response.headers().set("Content-Type", "text/plain; charset=UTF-8")
                .set("Content-Length", response.content().readableBytes())
                .set("Connection", keepAlive ? "Keep-Alive" : "Close");
        closeUnlessKept(ctx.writeAndFlush(response), keepAlive);
    }

    /** An error of chgate's own ({@link ClickHouseError}) or of the engine ({@link EngineException}). */
    static void error(ChannelHandlerContext ctx, RuntimeException error, boolean keepAlive) {
        FullHttpResponse response;
        if (error instanceof ClickHouseError own) {
            response = own.toResponse(ctx.alloc(), keepAlive);
        } else {
            EngineException engine = (EngineException) error;
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpStatusForCode.of(engine.code()),
                    Unpooled.copiedBuffer(body(engine), StandardCharsets.UTF_8));
            response.headers().set("Content-Type", "text/plain; charset=UTF-8")
                    .set("Content-Length", response.content().readableBytes())
                    .set(ClickHouseHeaders.EXCEPTION_CODE, engine.code())
                    .set("Connection", keepAlive ? "Keep-Alive" : "Close");
        }
        closeUnlessKept(ctx.writeAndFlush(response), keepAlive);
    }

    /** An error's text as ClickHouse writes it into a body, ending with a newline. */
    static String body(RuntimeException error) {
        return error instanceof ClickHouseError own ? own.body() : error.getMessage() + "\n";
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
        if (f.equals("native") || f.startsWith("rowbinary") || f.equals("parquet") || f.equals("arrow")
                || f.equals("orc") || f.equals("avro")) {
            return "application/octet-stream";
        }
        return "text/plain; charset=UTF-8";
    }

    private static void closeUnlessKept(ChannelFuture written, boolean keepAlive) {
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
