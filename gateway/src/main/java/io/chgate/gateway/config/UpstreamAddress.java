package io.chgate.gateway.config;

import java.net.URI;

/** The upstream's address: ClickHouse's HTTP interface over plain HTTP or over TLS ({@code https://}). */
public record UpstreamAddress(String host, int port, String hostHeader, boolean tls) {
    public static UpstreamAddress parse(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: '" + url + "'");
        }
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("expected an http:// or https:// URL of ClickHouse's HTTP interface,"
                    + " or embedded, got '" + url + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the URL '" + url + "' has no host");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new IllegalArgumentException("the URL '" + url + "' must not have a path");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 8443 : 8123;
        return new UpstreamAddress(uri.getHost(), port, uri.getHost() + ":" + port, tls);
    }
}
