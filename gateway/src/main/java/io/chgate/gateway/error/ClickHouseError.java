package io.chgate.gateway.error;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * An error of the gateway's own, shaped the way ClickHouse reports errors over HTTP so that every client already
 * knows how to show it: body {@code Code: N. DB::Exception: message. (NAME)}, header
 * {@code X-ClickHouse-Exception-Code: N}, and the HTTP status ClickHouse's {@code exceptionCodeToHTTPStatus} uses
 * for that code (except {@link #upstreamUnreachable}, which is a gateway's 502).
 */
public final class ClickHouseError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final HttpResponseStatus status;

    public ClickHouseError(ErrorCode code, String message) {
        this(code, code.httpStatus(), message);
    }

    public ClickHouseError(ErrorCode code, HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    public static ClickHouseError upstreamUnreachable(String upstream, String reason) {
        return new ClickHouseError(ErrorCode.NETWORK_ERROR, HttpResponseStatus.BAD_GATEWAY,
                "chgate: upstream ClickHouse " + upstream + " is unreachable: " + reason);
    }

    public ErrorCode code() {
        return code;
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The body text exactly as a ClickHouse server would write it, ending with a newline. */
    public String body() {
        return "Code: " + code.number() + ". DB::Exception: " + getMessage() + ". (" + code.name() + ")\n";
    }

    public FullHttpResponse toResponse(ByteBufAllocator alloc, boolean keepAlive) {
        ByteBuf content = alloc.buffer().writeBytes(body().getBytes(StandardCharsets.UTF_8));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                .set(ClickHouseHeaders.EXCEPTION_CODE, code.number())
                .set(HttpHeaderNames.CONNECTION, keepAlive ? "Keep-Alive" : "Close");
        return response;
    }
}
