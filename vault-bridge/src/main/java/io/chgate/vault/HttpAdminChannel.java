package io.chgate.vault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The admin channel to a ClickHouse server's HTTP interface, as the gateway's admin user. */
public final class HttpAdminChannel implements AdminChannel {
    private final URI url;
    private final String user;
    private final String password;
    private final HttpClient http;

    public HttpAdminChannel(URI url, String user, String password) {
        this(url, user, password, null);
    }

    /** @param tls the TLS context for an {@code https://} server (its CAs), or null for the JDK's default */
    public HttpAdminChannel(URI url, String user, String password, javax.net.ssl.SSLContext tls) {
        this.url = url;
        this.user = user;
        this.password = password;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            client.sslContext(tls);
        }
        this.http = client.build();
    }

    @Override
    public String execute(String sql) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve("/")).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(sql));
        if (user != null) {
            request.header("X-ClickHouse-User", user);
        }
        if (password != null) {
            request.header("X-ClickHouse-Key", password);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                // Servers before the X-ClickHouse-Exception-Code header (18.x) only say "Code: N" in the body.
                String code = response.headers().firstValue("X-ClickHouse-Exception-Code").orElseGet(() -> {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^Code: (\\d+)").matcher(response.body());
                    return m.find() ? m.group(1) : "0";
                });
                throw new AdminException(Integer.parseInt(code), response.body().strip());
            }
            return response.body();
        } catch (IOException e) {
            throw new AdminException(210, "ClickHouse at " + url + " is unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(394, "interrupted");
        }
    }
}
