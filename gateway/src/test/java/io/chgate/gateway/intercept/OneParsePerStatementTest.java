package io.chgate.gateway.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.config.GatewayConfig;
import io.chgate.sql.Lexer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A query the verdict cache has not seen is lexed once, however many checks read it; a cache hit not at all. */
class OneParsePerStatementTest {
    /**
     * Every check of a cache miss has work here: brackets the depth check counts (in a string), a word the statement
     * policy looks at, an integration database (named, and the default database), and a reference to rewrite.
     */
    private static final String EVERY_CHECK = "SELECT o.id, c.segment, '" + "(".repeat(1001) + "' AS brackets"
            + " FROM shop_db.customers AS c"
            + " JOIN postgresql('pg.prod:5432', 'shop', 'orders', 'bi', 'secret') AS o ON o.customer_id = c.id"
            + " WHERE c.segment != 'default'";

    private final RewritingInterceptor interceptor = RewritingInterceptor.fromConfig(config(), 1);

    private static GatewayConfig config() {
        GatewayConfig config = new GatewayConfig();
        GatewayConfig.Integration shop = new GatewayConfig.Integration();
        shop.name = "shop_pg";
        shop.source = "postgresql";
        shop.address = "pg.prod:5432";
        shop.database = "shop";
        shop.managedDatabase = "shop_db";
        shop.modes = List.of("managed_credentials", "managed_database");
        config.integrations.add(shop);
        return config;
    }

    /** With the integration database as the default database: its check reads the first word. */
    private Verdict intercept(String sql) {
        return intercept(sql, List.of("shop_db"));
    }

    private Verdict intercept(String sql, List<String> defaultDatabases) {
        return interceptor.intercept(new InterceptedQuery(sql, "default", defaultDatabases,
                InterceptedQuery.Location.URL)).toCompletableFuture().join();
    }

    private long lexedWhile(Runnable work) {
        long before = Lexer.tokenizationsOnThisThread();
        work.run();
        return Lexer.tokenizationsOnThisThread() - before;
    }

    @Test
    void aCacheMissLexesTheQueryOnce() {
        Verdict[] verdict = new Verdict[1];
        assertThat(lexedWhile(() -> verdict[0] = intercept(EVERY_CHECK))).isEqualTo(1);
        assertThat(verdict[0]).isInstanceOf(Verdict.Rewrite.class);
        assertThat(((Verdict.Rewrite) verdict[0]).sql()).contains("JOIN postgresql(shop_pg, table = 'orders') AS o")
                .doesNotContain("secret");

        // A hit is decided by the cache alone (the check of a default integration database still reads the first word).
        assertThat(lexedWhile(() -> verdict[0] = intercept(new String(EVERY_CHECK.toCharArray()), List.of())))
                .isZero();
        assertThat(((Verdict.Rewrite) verdict[0]).sql()).contains("postgresql(shop_pg, table = 'orders')");
    }

    @Test
    void aRefusalIsDecidedFromOneLexingToo() {
        Verdict[] verdict = new Verdict[1];
        assertThat(lexedWhile(() -> verdict[0] = intercept("ALTER TABLE shop_db.customers DROP COLUMN segment"
                + " SETTINGS max_threads = 1, mutations_sync = 'default'"))).isEqualTo(1);
        assertThat(((Verdict.Refuse) verdict[0]).error().getMessage()).contains("shop_db is an integration database");
    }
}
