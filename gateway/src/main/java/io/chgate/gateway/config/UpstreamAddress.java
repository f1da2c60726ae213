package io.chgate.gateway.config;

import java.net.URI;

/** The upstream's address; only plain HTTP for now. */
public record UpstreamAddress(String host, int port, String hostHeader) {
    public static UpstreamAddress parse(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: '" + url + "'");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("expected an http:// URL of ClickHouse's HTTP interface, or embedded, got '"
                    + url + "' (https upstreams are not supported yet)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the URL '" + url + "' has no host");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new IllegalArgumentException("the URL '" + url + "' must not have a path");
        }
        int port = uri.getPort() == -1 ? 8123 : uri.getPort();
        return new UpstreamAddress(uri.getHost(), port, uri.getHost() + ":" + port);
    }
}
