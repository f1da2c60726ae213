package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.testkit.LocalStack;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ClickHouse's own parser (the ClickHouse 26 engine) judges the rewriter's output. */
class EngineOracleTest {
    static EmbeddedClickHouse engine;
    static LocalStack stack;

    @BeforeAll
    static void open() {
        stack = LocalStack.get();
        engine = OracleEngine.get();
    }

    @ParameterizedTest
    @MethodSource("io.chgate.sql.SqlRewriterTest#rewrites")
    void everyRewriteIsAcceptedByClickHouseAndMeansWhatWasExpected(String sql, String expected) {
        String rewritten = SqlRewriter.rewriteSql(sql, SqlRewriterTest.RESOLVER);
        assertThat(engine.formatQuery(rewritten)).isEqualTo(engine.formatQuery(expected));
    }

    @ParameterizedTest
    @MethodSource("io.chgate.sql.SqlRewriterTest#rewrites")
    void theReferencesFoundAreTheOnesClickHouseSees(String sql, String expected) {
        String ast = engine.queryText("EXPLAIN AST " + sql.replaceAll("FORMAT JSON;?$", ""), "TSVRaw")
                .toLowerCase(Locale.ROOT);
        for (Reference ref : SqlRewriter.analyze(sql)) {
            assertThat(ast).as(sql).contains(ref.name().toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void aRewrittenQueryReadsTheRealPostgresTable() {
        CollectionResolver resolver = new CollectionResolver(List.of(new CollectionResolver.Endpoint(
                "postgresql", "127.0.0.1:" + stack.pgPort(), "shop", "oracle_shop_pg")));
        engine.query("DROP NAMED COLLECTION IF EXISTS oracle_shop_pg", "TSV");
        engine.query("CREATE NAMED COLLECTION oracle_shop_pg AS host = '127.0.0.1' NOT OVERRIDABLE, port = "
                + stack.pgPort() + " NOT OVERRIDABLE, user = '" + stack.pgUser() + "' NOT OVERRIDABLE, password = '"
                + stack.pgPassword() + "' NOT OVERRIDABLE, database = 'shop' NOT OVERRIDABLE, table = ''", "TSV");
        String bi = "SELECT customer, sum(amount) AS total FROM postgresql('127.0.0.1:" + stack.pgPort()
                + "', 'shop', 'orders', 'dashboard', 'no-password-needed') GROUP BY customer ORDER BY customer";
        String rewritten = SqlRewriter.rewriteSql(bi, resolver);
        assertThat(rewritten).doesNotContain("no-password-needed").doesNotContain("dashboard");
        assertThat(engine.queryText(rewritten, "TSV")).isEqualTo("alice\t12.5\nbob\t7.25\ncarol\t99.99\n");
    }
}
