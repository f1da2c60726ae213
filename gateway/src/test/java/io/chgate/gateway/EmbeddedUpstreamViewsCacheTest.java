package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.cli.GatewayLauncher;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.testkit.LocalStack;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Views and a materialized view made directly in the embedded ClickHouse 26 engine before chgate started (as a data
 * directory of an earlier run holds them) are read from the engine's catalog at start: a write through chgate reaches
 * the answers read through them, and a view over {@code now()} is never kept.
 */
class EmbeddedUpstreamViewsCacheTest {
    static EmbeddedGateway gateway;
    static EmbeddedClickHouse engine;
    static String db;

    @BeforeAll
    static void start() throws Exception {
        gateway = new EmbeddedGateway(LocalStack.get()).user("alice", "alice-pw", List.of());
        GatewayConfig.Cache cache = new GatewayConfig.Cache();
        cache.name = "views";
        gateway.config.caches.add(cache);
        gateway.config.users.forEach(u -> u.cache = "views");
        engine = GatewayLauncher.embeddedEngine(gateway.config);
        db = "catalog_" + UUID.randomUUID().toString().replace("-", "");
        for (String sql : List.of("CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".t (n UInt64) ENGINE = MergeTree ORDER BY n",
                "INSERT INTO " + db + ".t VALUES (1), (2)",
                "CREATE VIEW " + db + ".v AS SELECT sum(n) AS s FROM " + db + ".t",
                "CREATE VIEW " + db + ".clock AS SELECT toUnixTimestamp(now()) AS n",
                "CREATE TABLE " + db + ".totals (n UInt64) ENGINE = MergeTree ORDER BY n",
                "CREATE MATERIALIZED VIEW " + db + ".to_totals TO " + db + ".totals AS SELECT n * 100 AS n FROM "
                        + db + ".t")) {
            engine.queryText(sql, "TSV");
        }
        gateway.start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        engine.queryText("DROP DATABASE IF EXISTS " + db, "TSV");
    }

    static Response viaChgate(String sql) throws Exception {
        Response r = gateway.post("alice", sql);
        assertThat(r.status()).as(sql + ": " + r.bodyText()).isEqualTo(200);
        return r;
    }

    @Test
    void writesThroughChgateReachAnswersReadThroughViewsMadeInTheEngine() throws Exception {
        String view = "SELECT s FROM " + db + ".v";
        String target = "SELECT count(), sum(n) FROM " + db + ".totals";
        assertThat(viaChgate(view).bodyText()).isEqualTo("3\n");
        assertThat(viaChgate(view).header("X-Cache")).isEqualTo("HIT");
        assertThat(viaChgate(target).bodyText()).isEqualTo("0\t0\n");
        assertThat(viaChgate(target).header("X-Cache")).isEqualTo("HIT");
        viaChgate("INSERT INTO " + db + ".t VALUES (10)");
        Response afterView = viaChgate(view);
        assertThat(afterView.header("X-Cache")).isEqualTo("MISS");
        assertThat(afterView.bodyText()).isEqualTo("13\n");
        Response afterTarget = viaChgate(target);   // filled by the materialized view, through no statement of its own
        assertThat(afterTarget.header("X-Cache")).isEqualTo("MISS");
        assertThat(afterTarget.bodyText()).isEqualTo("1\t1000\n");
    }

    @Test
    void aViewOverNowMadeInTheEngineIsNeverKept() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(viaChgate("SELECT n FROM " + db + ".clock").header("X-Cache")).isEqualTo("MISS");
        }
    }
}
