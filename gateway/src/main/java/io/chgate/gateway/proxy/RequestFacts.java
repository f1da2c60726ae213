package io.chgate.gateway.proxy;

import io.chgate.gateway.error.ClickHouseHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the gateway needs to know about a request head, read the way ClickHouse's HTTP handler reads it. */
final class RequestFacts {
    /** Paths ClickHouse serves without running SQL from the request; everything else is inspected. */
    private static final Set<String> NON_QUERY_PATHS =
            Set.of("/ping", "/replicas_status", "/play", "/dashboard", "/binary", "/favicon.ico", "/merges");

    final String path;
    final Map<String, List<String>> params;
    /** The first {@code query} URL parameter, or null. */
    final String urlQuery;
    final boolean hasBody;
    final boolean multipart;
    /** The multipart boundary, or null. */
    final String boundary;
    final boolean inspected;
    /** {@code decompress=1}: the body is in ClickHouse's own compressed block format. */
    final boolean nativeCompressedBody;
    /** The request's {@code Content-Encoding}, lower case, or null. */
    final String contentEncoding;

    RequestFacts(HttpRequest request) {
        QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
        this.path = decoder.path();
        this.params = decoder.parameters();
        List<String> query = params.get("query");
        this.urlQuery = query == null || query.isEmpty() ? null : query.get(0);
        HttpHeaders headers = request.headers();
        this.hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        this.multipart = contentType != null && contentType.regionMatches(true, 0, "multipart/form-data", 0, 19);
        this.boundary = multipart ? MultipartScanner.boundary(contentType) : null;
        this.inspected = !NON_QUERY_PATHS.contains(path) && !path.startsWith("/js/");
        this.nativeCompressedBody = isTrue(last(params.get("decompress")));
        String encoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        this.contentEncoding = encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")
                ? null : encoding.trim().toLowerCase(java.util.Locale.ROOT);
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

    String database() {
        List<String> database = params.get("database");
        return database == null || database.isEmpty() ? null : database.get(0);
    }

    static boolean expectsContinue(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
    }

    private static String last(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static boolean isTrue(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }
}
