package io.chgate.gateway.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the logger {@code chgate.access}: when, from where, as whom, what it was answered,
 * how long it took, how many bytes each way, and the error code when there was one. The SQL only when configured
 * ({@code access_log_sql}), and then with every value in a credential position masked: a query may carry a password
 * as a literal, and a log is the last place it should land.
 */
public final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger("chgate.access");
    private static final JsonFactory JSON = new JsonFactory();

    /** One finished request. */
    public record Entry(String client, String gatewayUser, String method, String path, int status, String errorCode,
            String queryId, long durationMicros, long bytesIn, long bytesOut, String sql) {
    }

    private final boolean withSql;

    public AccessLog() {
        this(false);
    }

    /** @param withSql log each query's text too, its secrets masked ({@code access_log_sql}) */
    public AccessLog(boolean withSql) {
        this.withSql = withSql;
    }

    /** Whether lines carry the query text (masked). */
    public boolean withSql() {
        return withSql;
    }

    public void record(Entry e) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("ts", Instant.now().toString());
            json.writeStringField("client", e.client());
            json.writeStringField("user", e.gatewayUser());
            json.writeStringField("method", e.method());
            json.writeStringField("path", e.path());
            json.writeNumberField("status", e.status());
            json.writeStringField("error_code", e.errorCode());
            json.writeStringField("query_id", e.queryId());
            json.writeNumberField("duration_us", e.durationMicros());
            json.writeNumberField("bytes_in", e.bytesIn());
            json.writeNumberField("bytes_out", e.bytesOut());
            if (withSql && e.sql() != null) {
                String masked = io.chgate.sql.SqlRewriter.maskSecrets(e.sql());
                json.writeStringField("sql", masked != null ? masked : "(unreadable: not logged)");
            }
            json.writeEndObject();
        } catch (IOException impossible) {
            return;   // a StringWriter does not fail
        }
        log.info(out.toString());
    }
}
