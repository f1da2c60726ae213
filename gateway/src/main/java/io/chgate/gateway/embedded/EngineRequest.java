package io.chgate.gateway.embedded;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.gateway.http.RawQueryString;
import io.chgate.sql.SettingClass;
import io.chgate.sql.SettingsRegistry;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a request to the engine's port asks for, read once from its URL and headers as ClickHouse's server reads
 * them: settings and {@code param_*} parameters from the URL, format, database and query id from the URL or, as
 * client libraries send them, from {@code X-ClickHouse-*} headers, and the session it names.
 *
 * @param settings mutable: the handler adds the engine's own limits to it
 */
record EngineRequest(Parameters params, Map<String, String> settings, Map<String, String> queryParameters,
        String format, String database, String queryId, SessionRequest session) {

    /**
     * Whether a URL parameter is a setting for the statement: not one of the HTTP interface's own parameters, which
     * the settings registry knows (the one list the gateway keeps), nor the response compression this front does not
     * do.
     */
    private static boolean isStatementSetting(String name) {
        return SettingsRegistry.querySetting(name) != SettingClass.HTTP && !"enable_http_compression".equals(name);
    }

    /** The URL's parameters, each name with its values in order. */
    record Parameters(Map<String, List<String>> all) {
        String first(String name) {
            List<String> values = all.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        boolean flag(String name) {
            return "1".equals(first(name));
        }
    }

    /** @throws io.chgate.gateway.error.ClickHouseError for session parameters the server would refuse */
    static EngineRequest of(RawQueryString uri, HttpHeaders headers) {
        Parameters params = new Parameters(uri.asMap());
        SessionRequest session = SessionRequest.of(params, headers.get("X-ClickHouse-User"));
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> parameters = new LinkedHashMap<>();
        params.all().forEach((name, values) -> {
            String value = values.get(values.size() - 1);
            if (name.startsWith("param_")) {
                parameters.put(name.substring(6), value);
            } else if (isStatementSetting(name)) {
                settings.put(name, value);
            }
        });
        String format = firstOr(params, "default_format", headers.get("X-ClickHouse-Format"));
        String database = firstOr(params, "database", headers.get("X-ClickHouse-Database"));
        String queryId = firstOr(params, "query_id", headers.get("X-ClickHouse-Query-Id"));
        return new EngineRequest(params, settings, parameters, format == null ? "TabSeparated" : format, database,
                queryId == null || queryId.isEmpty() ? UUID.randomUUID().toString() : queryId, session);
    }

    /** The statement in the {@code query} parameter, or null. */
    String urlQuery() {
        return params.first("query");
    }

    /** {@code compress=1}: the result goes out in ClickHouse's compressed blocks. */
    boolean compress() {
        return params.flag("compress");
    }

    /** {@code decompress=1}: the body comes in ClickHouse's compressed blocks. */
    boolean decompress() {
        return params.flag("decompress");
    }

    /** The engine's statement for this request's text, scoped by its database, settings and parameters. */
    EmbeddedClickHouse.Request statement(byte[] query) {
        return new EmbeddedClickHouse.Request(query, format, database, settings, queryParameters);
    }

    private static String firstOr(Parameters params, String name, String fallback) {
        String value = params.first(name);
        return value == null ? fallback : value;
    }
}
