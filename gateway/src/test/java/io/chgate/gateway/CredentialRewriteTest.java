package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.RewritingInterceptor;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The product's promise, checked where it matters: in ClickHouse's own query log. A BI tool's query with inline
 * MariaDB credentials goes through the gateway; ClickHouse receives a named-collection reference and never the
 * password. (The 18.16 server cannot run named collections — that is the ClickHouse 26 engine's part — but its
 * query log shows exactly what it was sent.)
 */
class CredentialRewriteTest {
    static GatewayUnderTest env;

    @BeforeAll
    static void start() throws Exception {
        GatewayConfig config = new GatewayConfig();
        GatewayConfig.Integration shop = new GatewayConfig.Integration();
        shop.name = "shop_mysql";
        shop.source = "mysql";
        shop.address = "127.0.0.1:" + io.chgate.testkit.LocalStack.get().mariadbPort();
        shop.database = "shop";
        config.integrations.add(shop);
        env = GatewayUnderTest.start(RewritingInterceptor.fromConfig(config, 1), Map.of());
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private String loggedQuery(String queryId) {
        env.clickhouse("SYSTEM FLUSH LOGS");
        return env.clickhouse("SELECT DISTINCT query FROM system.query_log WHERE query_id = '" + queryId + "' FORMAT TSVRaw");
    }

    @Test
    void clickHouseReceivesTheCollectionAndNeverThePassword() throws IOException {
        String password = env.stack.mariadbPassword();
        String inline = "SELECT count() FROM mysql('127.0.0.1:" + env.stack.mariadbPort() + "', 'shop', 'orders', '"
                + env.stack.mariadbUser() + "', '" + password + "')";
        String queryId = "chgate-rewrite-" + System.nanoTime();
        Response r = env.proxied(RawHttp.request("GET", q(inline) + "&log_queries=1&query_id=" + queryId, List.of(),
                null), false);
        assertThat(r.bodyText()).as("ClickHouse's own answer, not the gateway's").doesNotContain("chgate")
                .doesNotContain(password);
        String logged = loggedQuery(queryId);
        assertThat(logged).isEqualTo("SELECT count() FROM mysql(shop_mysql, table = 'orders')\n");
        assertThat(logged).doesNotContain(password);
    }

    @Test
    void anUnknownEndpointIsRefusedAndNothingReachesClickHouse() throws IOException {
        String queryId = "chgate-refused-" + System.nanoTime();
        Response r = env.proxied(RawHttp.request("POST", "/?log_queries=1&query_id=" + queryId, List.of(),
                "SELECT * FROM mysql('db.elsewhere:3306', 'shop', 'orders', 'u', 'hunter2')".getBytes()), false);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
        assertThat(r.bodyText()).isEqualTo("Code: 497. DB::Exception: chgate: table function mysql() points at mysql "
                + "endpoint db.elsewhere:3306 database shop, which is not a configured integration. (ACCESS_DENIED)\n");
        assertThat(loggedQuery(queryId)).isEmpty();
    }

    @Test
    void aReferenceSplitAcrossUrlAndFormFieldsIsFoundAndRewritten() throws IOException {
        // No piece names a source on its own; ClickHouse joins them into one mysql() call with the password inline.
        String password = env.stack.mariadbPassword();
        String boundary = "chgateSplitBoundary";
        byte[] form = TransparencyTest.form(boundary,
                TransparencyTest.field("query", "('127.0.0.1:" + env.stack.mariadbPort() + "', 'shop', 'orders', '"),
                TransparencyTest.field("query", env.stack.mariadbUser() + "', '" + password + "')"));
        String queryId = "chgate-form-" + System.nanoTime();
        Response r = env.proxied(RawHttp.request("POST", q("SELECT count() FROM mysql") + "&log_queries=1&query_id="
                + queryId, List.of(new RawHttp.Header("Content-Type", "multipart/form-data; boundary=" + boundary)),
                form), false);
        // 18.16 has no named collections, so its answer is an error; its query log shows what it was sent.
        assertThat(r.bodyText()).as("ClickHouse's own answer, not the gateway's").doesNotContain("chgate")
                .doesNotContain(password);
        String logged = loggedQuery(queryId);
        assertThat(logged).isEqualTo("SELECT count() FROM mysql(shop_mysql, table = 'orders')\n");
    }

    @Test
    void queriesWithoutExternalSourcesPassUntouched() throws IOException {
        Response r = env.proxied(RawHttp.request("GET", q("SELECT 'mysql' AS word, 40 + 2"), List.of(), null), false);
        assertThat(r.bodyText()).isEqualTo("mysql\t42\n");
    }
}
