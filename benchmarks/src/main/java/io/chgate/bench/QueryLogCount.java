package io.chgate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Counts the statements a ClickHouse 18.16 server started in one benchmark window, from system.query_log: rows of type
 * 1 (QueryStart) and 3 (ExceptionBeforeStart) whose text holds the window's {@link Dashboard#marker}. The counting
 * statement is sent without {@code log_queries} and spells the marker in two pieces, so it never counts itself.
 */
final class QueryLogCount {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI server;
    private final String user;
    private final String password;

    QueryLogCount(URI server, String user, String password) {
        this.server = server;
        this.user = user;
        this.password = password;
    }

    /** Writes what the server holds in memory to system.query_log (flushed every second otherwise). */
    void flush() throws IOException, InterruptedException {
        query("SYSTEM FLUSH LOGS");
    }

    long statements(String run, String window) throws IOException, InterruptedException {
        String marker = Dashboard.marker(run, window).trim();
        int cut = marker.length() / 2;
        return Long.parseLong(query("SELECT count() FROM system.query_log WHERE event_date >= yesterday()"
                + " AND type IN (1, 3) AND query LIKE concat('%', '" + marker.substring(0, cut) + "', '"
                + marker.substring(cut) + "', '%')").trim());
    }

    private String query(String sql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.resolve("/"))
                .header("X-ClickHouse-User", user).header("X-ClickHouse-Key", password)
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException("system.query_log: " + response.statusCode() + " " + response.body().trim());
        }
        return response.body();
    }
}
