package io.chgate.gateway.embedded;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.engine.EngineException;
import io.chgate.gateway.codec.NativeBlocks;
import io.chgate.gateway.codec.NativeRevision;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;

/**
 * Runs one statement on the engine, on an engine worker, and writes its answer to the client's connection: a result
 * chunk by chunk as the engine produces it, or an INSERT's data taken from its body. Errors before the first byte are
 * ClickHouse's error answers; an error mid-stream goes into the body and the response is cut without its last chunk,
 * which is how ClickHouse itself ends a result that fails half way.
 */
final class StatementRunner {
    private final EmbeddedClickHouse engine;
    private final ChannelHandlerContext ctx;
    private final Writability writability;
    private final boolean keepAlive;

    StatementRunner(EmbeddedClickHouse engine, ChannelHandlerContext ctx, Writability writability, boolean keepAlive) {
        this.engine = engine;
        this.ctx = ctx;
        this.writability = writability;
        this.keepAlive = keepAlive;
    }

    /** How a result goes out. */
    record Output(String queryId, String format, boolean compress, boolean streamable, NativeRevision nativeOut) {
    }

    /** Runs the statement and answers; true when it succeeded. */
    boolean query(EmbeddedClickHouse.Request statement, Output out, EmbeddedClickHouse.Cancellation cancellation,
            EmbeddedClickHouse.Session session) {
        boolean[] started = {false};
        RuntimeException[] unconvertible = {null};
        try {
            engine.execute(statement.streamed(out.streamable()).cancelledBy(cancellation).in(session), chunk -> {
                if (!ctx.channel().isActive()) {
                    return false;   // the client went away: cancel the query
                }
                byte[] body;
                try {
                    body = out.nativeOut() == null ? chunk : out.nativeOut().convert(chunk);
                } catch (IllegalArgumentException e) {
                    unconvertible[0] = new ClickHouseError(ErrorCode.NOT_IMPLEMENTED, e.getMessage());
                    return false;
                }
                if (!started[0]) {
                    started[0] = true;
                    ctx.write(EngineReplies.head(out.queryId(), out.format(), keepAlive));
                }
                if (body.length > 0) {
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(
                            out.compress() ? NativeBlocks.encode(body) : body)));
                    writability.await(ctx.channel());
                }
                return true;
            });
            if (unconvertible[0] != null) {
                throw unconvertible[0];
            }
            finishNative(out.nativeOut());
            if (!started[0]) {
                ctx.write(EngineReplies.head(out.queryId(), out.format(), keepAlive));
            }
            EngineReplies.end(ctx, keepAlive);
            return true;
        } catch (EngineException | ClickHouseError e) {
            if (started[0]) {
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(EngineReplies.body(e),
                        StandardCharsets.UTF_8))).addListener(ChannelFutureListener.CLOSE);
            } else {
                EngineReplies.error(ctx, e, keepAlive);
            }
        } catch (RuntimeException e) {
            ctx.close();
        }
        return false;
    }

    /** Streams an INSERT's data into the engine and answers with the rows written. */
    void insert(EmbeddedClickHouse.Request statement, String inputFormat, InsertBody body, String queryId,
            EmbeddedClickHouse.Session session) {
        try {
            long written = engine.insert(statement.in(session), inputFormat, body::next);
            ctx.write(EngineReplies.insertHead(queryId, written, body.bytes(), keepAlive));
            EngineReplies.end(ctx, keepAlive);
        } catch (EngineException | ClickHouseError e) {
            EngineReplies.error(ctx, e, keepAlive);
        } catch (RuntimeException e) {
            ctx.close();
        } finally {
            body.answered();
        }
    }

    private static void finishNative(NativeRevision nativeOut) {
        if (nativeOut == null) {
            return;
        }
        try {
            nativeOut.finish();
        } catch (IllegalArgumentException e) {
            throw new ClickHouseError(ErrorCode.NOT_IMPLEMENTED, e.getMessage());
        }
    }
}
