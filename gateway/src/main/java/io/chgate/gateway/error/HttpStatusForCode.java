package io.chgate.gateway.error;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Set;

/** The HTTP status ClickHouse's server answers with for an exception code ({@code exceptionCodeToHTTPStatus}). */
public final class HttpStatusForCode {
    private static final Set<Integer> FORBIDDEN = Set.of(192, 193, 195, 516, 512, 497);
    private static final Set<Integer> BAD_REQUEST = Set.of(36, 427, 6, 25, 26, 38, 41, 72, 441, 27, 376, 15, 44, 37,
            123, 8, 167, 168, 223, 62, 117, 53, 321);
    private static final Set<Integer> NOT_FOUND = Set.of(60, 46, 47, 50, 56, 81, 115, 152, 63, 73, 336, 78, 511);

    private HttpStatusForCode() {
    }

    public static HttpResponseStatus of(int code) {
        if (code == 194) {
            return HttpResponseStatus.UNAUTHORIZED;
        }
        if (FORBIDDEN.contains(code)) {
            return HttpResponseStatus.FORBIDDEN;
        }
        if (BAD_REQUEST.contains(code)) {
            return HttpResponseStatus.BAD_REQUEST;
        }
        if (NOT_FOUND.contains(code)) {
            return HttpResponseStatus.NOT_FOUND;
        }
        return switch (code) {
            case 229 -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case 48 -> HttpResponseStatus.NOT_IMPLEMENTED;
            case 209, 76, 439 -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case 381 -> HttpResponseStatus.LENGTH_REQUIRED;
            case 159 -> HttpResponseStatus.REQUEST_TIMEOUT;
            default -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
