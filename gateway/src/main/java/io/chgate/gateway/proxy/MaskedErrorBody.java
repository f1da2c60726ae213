package io.chgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Holds an upstream error response whole and hands it on with every credential chgate manages replaced by
 * {@code [HIDDEN]}: a server's error may quote what it was given — a database user name from Vault, say, in
 * "password authentication failed for user ...". Error bodies are short; one larger than {@link #MAX_BYTES} is not
 * an error ClickHouse writes, and is cut rather than passed on unread.
 */
final class MaskedErrorBody {
    static final int MAX_BYTES = 4 << 20;

    private final HttpResponse head;
    private final Set<String> secrets;
    private final CompositeByteBuf body;

    MaskedErrorBody(HttpResponse head, Set<String> secrets, ByteBufAllocator alloc) {
        this.head = head;
        this.secrets = secrets;
        this.body = alloc.compositeBuffer(Integer.MAX_VALUE);
    }

    /** Takes a piece of the body (ownership passes); false when the body grew past the limit. */
    boolean add(ByteBuf piece) {
        body.addComponent(true, piece);
        return body.readableBytes() <= MAX_BYTES;
    }

    /** The response to send: head, masked body, end. */
    List<Object> finish() {
        String text = body.toString(StandardCharsets.UTF_8);
        body.release();
        for (String secret : secrets) {
            text = text.replace(secret, "[HIDDEN]");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (HttpUtil.isContentLengthSet(head)) {
            head.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        }
        return List.of(head, new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)), LastHttpContent.EMPTY_LAST_CONTENT);
    }

    void release() {
        if (body.refCnt() > 0) {
            body.release();
        }
    }
}
