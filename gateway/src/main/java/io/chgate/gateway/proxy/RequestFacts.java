package io.chgate.gateway.proxy;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ClickHouseHeaders;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.http.RawQueryString;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.TooLongFrameException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * What the gateway needs to know about a request head, read the way ClickHouse's HTTP handler reads it: the query
 * string split on {@code &} only (Netty's decoder also splits on {@code ;}, ClickHouse does not), names
 * case-sensitive, the first {@code query} parameter, a malformed escape an error.
 *
 * <p>Paths are allow-listed: ClickHouse's dynamic query handler answers on any path a server has no other handler
 * for ({@code /play}, {@code /dashboard} and the rest run SQL sent to them), so only {@code /} carries queries
 * through the gateway, and only a bare {@code GET}/{@code HEAD} of {@code /ping} or {@code /replicas_status} passes
 * uninspected. Everything else is refused: what chgate does not read, it does not forward.
 */
final class RequestFacts {
    private static final Set<String> HEALTH_PATHS = Set.of("/ping", "/replicas_status");

    final String path;
    /** The query string as parsed, or null when the URI could not be read (then {@link #refusal} says why). */
    final RawQueryString query;
    final Map<String, List<String>> params;
    /** The first {@code query} URL parameter, or null. */
    final String urlQuery;
    /** The first {@code session_id} URL parameter, or null. */
    final String sessionId;
    final boolean hasBody;
    final boolean multipart;
    /** The multipart boundary, or null. */
    final String boundary;
    /** False only for a health check, which ClickHouse answers without running SQL. */
    final boolean inspected;
    /** Why the request cannot be forwarded at all, or null. */
    final ClickHouseError refusal;
    /** The head could not be decoded: nothing more of the connection can be trusted. */
    final boolean malformed;
    /** {@code decompress=1}: the body is in ClickHouse's own compressed block format. */
    final boolean nativeCompressedBody;
    /** The request's {@code Content-Encoding}, lower case, or null. */
    final String contentEncoding;
    /** {@code Expect: 100-continue}: the gateway answers it itself, since it reads the body before forwarding. */
    final boolean expectsContinue;
    final boolean keepAlive;
    final InetAddress clientAddress;
    /** The subject of the client certificate the connection's TLS handshake verified, or null. */
    final X500Principal certificateSubject;
    private final HttpHeaders headers;
    private List<String> databases;

    RequestFacts(HttpRequest request) {
        this(request, InetAddress.getLoopbackAddress());
    }

    RequestFacts(HttpRequest request, InetAddress clientAddress) {
        this(request, clientAddress, null);
    }

    RequestFacts(HttpRequest request, InetAddress clientAddress, X500Principal certificateSubject) {
        HttpHeaders headers = request.headers();
        this.headers = headers;
        this.clientAddress = clientAddress;
        this.certificateSubject = certificateSubject;
        this.hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.expectsContinue = headers.containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
        RawQueryString query;
        ClickHouseError refused = null;
        this.malformed = request.decoderResult().isFailure();
        try {
            query = RawQueryString.parse(request.uri());
        } catch (ClickHouseError e) {
            query = null;
            refused = e;
        }
        this.query = query;
        RawQueryString read = query == null ? RawQueryString.parse("/") : query;
        this.path = read.path();
        this.params = read.asMap();
        List<String> queries = params.get("query");
        this.urlQuery = queries == null ? null : queries.get(0);
        List<String> sessions = params.get("session_id");
        this.sessionId = sessions == null || sessions.isEmpty() ? null : sessions.get(0);
        boolean health = HEALTH_PATHS.contains(path);
        if (refused == null && !path.equals("/") && !health) {
            refused = new ClickHouseError(ErrorCode.ACCESS_DENIED, HttpResponseStatus.NOT_FOUND, "chgate: the path "
                    + printable(path) + " is not served through the gateway; send queries to / (health checks: /ping)");
        } else if (refused == null && health && (!params.isEmpty() || hasBody || request.uri().indexOf('?') >= 0
                || !(request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD)))) {
            refused = new ClickHouseError(ErrorCode.ACCESS_DENIED, HttpResponseStatus.BAD_REQUEST,
                    "chgate: " + path + " is a health check: a GET or HEAD without parameters or body");
        } else if (refused == null && queries != null && queries.size() > 1) {
            refused = new ClickHouseError(ErrorCode.BAD_ARGUMENTS,
                    "chgate: the query parameter is given more than once; send one");
        }
        this.refusal = malformed ? malformedHead(request.decoderResult().cause()) : refused;
        this.inspected = !health;
        String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        this.multipart = contentType != null && contentType.regionMatches(true, 0, "multipart/form-data", 0, 19);
        this.boundary = multipart ? MultipartScanner.boundary(contentType) : null;
        this.nativeCompressedBody = isTrue(last(params.get("decompress")));
        String encoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        this.contentEncoding = encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")
                ? null : encoding.trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static ClickHouseError malformedHead(Throwable cause) {
        return cause instanceof TooLongFrameException
                ? new ClickHouseError(ErrorCode.QUERY_IS_TOO_LARGE,
                        "chgate: the request line or headers are too long: " + cause.getMessage())
                : new ClickHouseError(ErrorCode.BAD_ARGUMENTS, "chgate: malformed HTTP request: " + cause.getMessage());
    }

    /** The client's address, by the channel's remote address (loopback for a channel without one). */
    static InetAddress clientAddress(SocketAddress remote) {
        return remote instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
    }

    /** A path for an error message: at most 100 printable ASCII characters. */
    private static String printable(String path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.length() && sb.length() < 100; i++) {
            char c = path.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }

    /** The user the request authenticates as, by ClickHouse's precedence: Basic auth, X-ClickHouse-User, ?user=. */
    static String user(HttpRequest request, Map<String, List<String>> params) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return "default";
            }
        }
        String header = request.headers().get(ClickHouseHeaders.USER);
        if (header != null && !header.isEmpty()) {
            return header;
        }
        List<String> user = params.get("user");
        return user == null || user.isEmpty() || user.get(0).isEmpty() ? "default" : user.get(0);
    }

    /**
     * Every default database the request names ({@code database} parameters, then {@code X-ClickHouse-Database}
     * headers): ClickHouse takes one of them, so the policy checks them all. Read once, when first asked.
     */
    List<String> databases() {
        if (databases == null) {
            List<String> named = new java.util.ArrayList<>(params.getOrDefault("database", List.of()));
            named.addAll(headers.getAll("X-ClickHouse-Database"));
            databases = named;
        }
        return databases;
    }

    private static String last(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static boolean isTrue(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }
}
