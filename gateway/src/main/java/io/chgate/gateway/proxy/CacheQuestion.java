package io.chgate.gateway.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.cache.CacheKey;
import io.chgate.gateway.cache.ResponseCaches;
import io.chgate.gateway.cache.Rights;
import io.chgate.sql.CacheableRead;
import io.chgate.sql.ParsedStatement;
import io.chgate.sql.SettingsRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which question a request asks the response cache, if any: whether its shape allows a kept answer at all, and the
 * key of the answer to its statement — everything that decides the answer's bytes, nothing that does not.
 */
final class CacheQuestion {
    /** Parameters that never reach the answer: who asks, how the request is tracked, and the cache's own. */
    private static final Set<String> NOT_ANSWER_PARAMETERS = Set.of("query", "query_id", "user", "password",
            "quota_key", HeadChecks.NO_CACHE, "session_id", "session_timeout", "session_check");

    /**
     * Verdicts on statements already read, so a dashboard's repeated statement is lexed once, not on every hit.
     * Bounded by the text it holds; a verdict depends on the statement and its database alone.
     */
    private static final Cache<Statement, CacheableRead.Verdict> READ = Caffeine.newBuilder()
            .maximumWeight(16L << 20).weigher((Statement s, CacheableRead.Verdict v) -> s.sql().length() + 64)
            .build();

    private record Statement(String database, String sql) {
    }

    private CacheQuestion() {
    }

    /** Whether {@code sql}'s answer may be kept, and what it read; read once per statement and database. */
    static CacheableRead.Verdict read(String sql, String database) {
        return READ.get(new Statement(database, sql), s -> CacheableRead.of(ParsedStatement.of(sql), database));
    }

    /**
     * Whether the request's shape allows a kept answer: a GET or POST, in no session or one without state (its
     * temporary tables and settings are in no key), without external data or several default databases, and no
     * {@code no_cache=1}, {@code Cache-Control: no-cache} or {@code Pragma: no-cache} from the client.
     */
    static boolean answerable(RequestFacts facts, HttpRequest request, ResponseCaches caches) {
        String method = request.method().name();
        if (!"GET".equals(method) && !"POST".equals(method)) {
            return false;
        }
        if (facts.sessionId != null && !caches.cleanSession(facts.sessionId)
                || facts.multipart || facts.databases().size() > 1) {
            return false;
        }
        if (on(facts.params.get(HeadChecks.NO_CACHE)) || on(facts.params.get("use_query_cache"))
                || on(facts.params.get("enable_reads_from_query_cache"))) {
            // The server's own query cache is not told of writes chgate sees: its answer may predate one.
            return false;
        }
        return !asksNoCache(request.headers().getAll(HttpHeaderNames.CACHE_CONTROL))
                && !asksNoCache(request.headers().getAll(HttpHeaderNames.PRAGMA));
    }

    private static boolean on(List<String> values) {
        return values != null && values.stream().anyMatch(v -> !"0".equals(v) && !"false".equalsIgnoreCase(v));
    }

    private static boolean asksNoCache(List<String> values) {
        for (String value : values) {
            String v = value.toLowerCase(Locale.ROOT);
            if (v.contains("no-cache") || v.contains("no-store")) {
                return true;
            }
        }
        return false;
    }

    /** The key of the answer to {@code sql}, the statement as forwarded, asked by {@code user} this way. */
    static String key(GatewayUser user, String sql, RequestFacts facts, HttpRequest request) {
        CacheKey key = CacheKey.of(Rights.of(user)).statement(sql).parameters(facts.params, CacheQuestion::notInKey);
        for (String header : CacheKey.HEADERS) {
            key.header(request.headers().get(header));
        }
        return key.build();
    }

    private static boolean notInKey(String parameter) {
        return NOT_ANSWER_PARAMETERS.contains(parameter) || !SettingsRegistry.changesOutput(parameter);
    }

    /** The database unqualified names in the statement are read in, as far as the request says. */
    static String database(RequestFacts facts) {
        return facts.databases().isEmpty() ? "default" : facts.databases().get(0);
    }
}
