package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.cache.ResponseCaches;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which requests may ask the cache, and which of their parts make the key. */
class CacheQuestionTest {
    static final GatewayUser ANALYST = new GatewayUser("analyst", "Basic YTpi", Set.of("pg"), false, Set.of());
    static final ResponseCaches CACHES = new ResponseCaches(null, Ticker.systemTicker(), true);

    static HttpRequest request(HttpMethod method, String uri, String... headers) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    static boolean answerable(HttpRequest r) {
        return CacheQuestion.answerable(new RequestFacts(r), r, CACHES);
    }

    static String key(HttpRequest r, String sql) {
        return CacheQuestion.key(ANALYST, sql, new RequestFacts(r), r);
    }

    @Test
    void onlyAPlainGetOrPostThatDoesNotOptOutMayAsk() {
        assertThat(answerable(request(HttpMethod.GET, "/?query=SELECT%201"))).isTrue();
        assertThat(answerable(request(HttpMethod.POST, "/?database=shop"))).isTrue();
        assertThat(answerable(request(HttpMethod.GET, "/?query=SELECT%201&no_cache=1"))).isFalse();
        assertThat(answerable(request(HttpMethod.GET, "/?query=SELECT%201&no_cache=0"))).isTrue();
        assertThat(answerable(request(HttpMethod.GET, "/?query=SELECT%201&use_query_cache=1"))).isFalse();
        assertThat(answerable(request(HttpMethod.GET, "/?query=SELECT%201", "Cache-Control", "no-cache"))).isFalse();
        assertThat(answerable(request(HttpMethod.GET, "/?query=SELECT%201", "Pragma", "no-cache"))).isFalse();
        assertThat(answerable(request(HttpMethod.PUT, "/?query=SELECT%201"))).isFalse();
        assertThat(answerable(request(HttpMethod.GET, "/?query=SELECT%201&database=a&database=b"))).isFalse();
        assertThat(answerable(request(HttpMethod.POST, "/", "Content-Type", "multipart/form-data; boundary=x")))
                .isFalse();
    }

    @Test
    void aStatementIsReadOncePerDatabase() {
        String sql = "SELECT count() FROM orders WHERE day = today() - 1 -- " + System.nanoTime();
        io.chgate.sql.CacheableRead.Verdict first = CacheQuestion.read(sql, "shop");
        assertThat(CacheQuestion.read(sql, "shop")).isSameAs(first);
        assertThat(first.cacheable()).isFalse();   // today() is not deterministic
        assertThat(CacheQuestion.read("SELECT n FROM orders", "shop").objects()).containsExactly("shop.orders");
        assertThat(CacheQuestion.read("SELECT n FROM orders", "archive").objects()).containsExactly("archive.orders");
    }

    @Test
    void theKeyHoldsWhatChangesTheAnswerAndNothingElse() {
        String base = key(request(HttpMethod.GET, "/?query=SELECT%201&default_format=JSON"), "SELECT 1");
        assertThat(key(request(HttpMethod.POST, "/?default_format=JSON&query_id=abc&max_threads=1&log_queries=1"),
                "SELECT 1")).isEqualTo(base);
        assertThat(key(request(HttpMethod.GET, "/?query=SELECT%201&default_format=CSV"), "SELECT 1"))
                .isNotEqualTo(base);
        assertThat(key(request(HttpMethod.GET, "/?query=SELECT%201&default_format=JSON&param_x=1"), "SELECT 1"))
                .isNotEqualTo(base);
        assertThat(key(request(HttpMethod.GET, "/?query=SELECT%201&default_format=JSON&date_time_output_format=iso"),
                "SELECT 1")).isNotEqualTo(base);
        assertThat(key(request(HttpMethod.GET, "/?query=SELECT%201&default_format=JSON", "Accept-Encoding", "gzip"),
                "SELECT 1")).isNotEqualTo(base);
        assertThat(key(request(HttpMethod.GET, "/?query=SELECT%201&default_format=JSON", "X-ClickHouse-Database",
                "shop"), "SELECT 1")).isNotEqualTo(base);
        assertThat(key(request(HttpMethod.GET, "/?query=SELECT%202&default_format=JSON"), "SELECT 2"))
                .isNotEqualTo(base);
        assertThat(base).doesNotContain("YTpi");   // the login only hashed
    }
}
