package io.chgate.gateway.proxy;

import io.chgate.gateway.cache.CachedAnswer;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies a {@code 200} answer as it streams to its client, to be kept: the headers that describe its bytes, and its
 * payload up to {@code max_payload_size}. Past that it gives up and drops what it copied — the answer streams on,
 * never held whole.
 */
final class AnswerRecorder {
    /** Headers of one execution or one connection, never replayed from the cache. */
    private static final Set<String> NOT_KEPT = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "date", "x-clickhouse-query-id", "x-clickhouse-progress", "x-clickhouse-summary",
            "set-cookie", "x-cache", "age");

    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private final long maxBytes;
    private byte[] body = new byte[1024];
    private int size;

    /** Reads the head while it is being delivered. */
    AnswerRecorder(ResponseHead head, long maxBytes) {
        this.maxBytes = maxBytes;
        HttpResponse response = head.toHttpResponse();
        response.headers().forEach(h -> {
            if (!NOT_KEPT.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                headers.add(Map.entry(h.getKey(), h.getValue()));
            }
        });
    }

    /** Copies a piece of payload; false when the answer grew past the limit (everything copied is dropped). */
    boolean add(ByteBuf piece) {
        int n = piece.readableBytes();
        if (body == null || size + (long) n > maxBytes) {
            release();
            return false;
        }
        if (size + n > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(maxBytes, Math.max(size + n, body.length * 2L)));
        }
        piece.getBytes(piece.readerIndex(), body, size, n);
        size += n;
        return true;
    }

    CachedAnswer answer(Set<String> objects, long nowNanos) {
        CachedAnswer answer = new CachedAnswer(List.copyOf(headers), Arrays.copyOf(body, size), Set.copyOf(objects),
                nowNanos);
        body = null;
        return answer;
    }

    void release() {
        body = null;
    }
}
