package io.chgate.gateway.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.sql.CollectionResolver;
import io.chgate.sql.Resolver;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The verdict cache: equal query text is decided once, different text or configuration is decided on its own. */
class RewritingInterceptorCacheTest {
    private final AtomicInteger resolved = new AtomicInteger();
    private final Resolver counting = reference -> {
        resolved.incrementAndGet();
        return new CollectionResolver(List.of(new CollectionResolver.Endpoint("postgresql", "pg.prod:5432", "shop",
                "shop_pg"))).resolve(reference);
    };

    private static Verdict intercept(RewritingInterceptor interceptor, String sql) {
        return interceptor.intercept(new InterceptedQuery(sql, "default", null, InterceptedQuery.Location.URL))
                .toCompletableFuture().join();
    }

    private static String query(String table) {
        return "SELECT * FROM postgresql('pg.prod:5432', 'shop', '" + table + "', 'bi', 'secret')";
    }

    @Test
    void equalTextInNewStringsIsDecidedOnce() {
        RewritingInterceptor interceptor = new RewritingInterceptor(counting, 1, 100);
        Verdict first = intercept(interceptor, query("orders"));
        for (int i = 0; i < 100; i++) {
            assertThat(intercept(interceptor, new String(query("orders").toCharArray()))).isSameAs(first);
        }
        assertThat(resolved).hasValue(1);
        assertThat(((Verdict.Rewrite) first).sql()).isEqualTo("SELECT * FROM postgresql(shop_pg, table = 'orders')");
    }

    @Test
    void differentTextGetsItsOwnVerdict() {
        RewritingInterceptor interceptor = new RewritingInterceptor(counting, 1, 100);
        for (String table : List.of("orders", "orders2", "Orders", "ordérs")) {
            assertThat(((Verdict.Rewrite) intercept(interceptor, query(table))).sql()).contains("'" + table + "'");
        }
        assertThat(resolved).hasValue(4);
    }

    @Test
    void textsWhoseHashesCollideStayApart() {
        // Outside Latin-1 every character hashes as '?': these two queries get the same hash, never the same verdict.
        RewritingInterceptor interceptor = new RewritingInterceptor(counting, 1, 100);
        for (int round = 0; round < 2; round++) {
            assertThat(((Verdict.Rewrite) intercept(interceptor, query("заказы"))).sql()).contains("'заказы'");
            assertThat(((Verdict.Rewrite) intercept(interceptor, query("товары"))).sql()).contains("'товары'");
        }
        assertThat(resolved).hasValue(2);
    }
}
