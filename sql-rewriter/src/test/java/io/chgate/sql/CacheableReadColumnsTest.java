package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tables whose columns or clauses compute values when they are read — an ALIAS over {@code now()}, a DEFAULT over
 * {@code rand()} that parts written before an ALTER ADD COLUMN compute on every read — are named uncacheable by the
 * CREATE, REPLACE, ATTACH or ALTER that gives them such an expression: no read's text shows it.
 */
class CacheableReadColumnsTest {
    private static Set<String> uncacheable(String sql) {
        return CacheableRead.uncacheableObjects(ParsedStatement.of(sql), "shop");
    }

    @Test
    void aColumnComputedFromANonDeterministicFunctionMakesTheTableUncacheable() {
        assertThat(uncacheable("CREATE TABLE t (id UInt8, at DateTime ALIAS now()) ENGINE = MergeTree ORDER BY id"))
                .containsExactly("shop.t");
        assertThat(uncacheable("CREATE OR REPLACE TABLE x.t (id UInt8, at DateTime64(6) ALIAS now64(6))"
                + " ORDER BY id")).containsExactly("x.t");
        assertThat(uncacheable("REPLACE TABLE t (id UInt8, r UInt32 DEFAULT rand()) ENGINE = MergeTree ORDER BY id"))
                .containsExactly("shop.t");
        assertThat(uncacheable("ATTACH TABLE t (id UInt8, d Date MATERIALIZED today()) ENGINE = MergeTree"
                + " ORDER BY id")).containsExactly("shop.t");
        assertThat(uncacheable("CREATE TABLE t (id UInt8, e DateTime EPHEMERAL now(), d DateTime DEFAULT e)"
                + " ENGINE = MergeTree ORDER BY id")).containsExactly("shop.t");
        assertThat(uncacheable("CREATE TABLE t (id UInt8, s String ALIAS if(id > 0, toString(generateUUIDv4()),"
                + " 'x')) ENGINE = Memory")).containsExactly("shop.t");
        assertThat(uncacheable("CREATE TABLE t (d DateTime ALIAS toStartOfDay(now()) - INTERVAL 1 DAY)"
                + " ENGINE = Memory")).containsExactly("shop.t");
        assertThat(uncacheable("CREATE TABLE IF NOT EXISTS `my db`.`my t` ON CLUSTER c (a DateTime DEFAULT now())"
                + " ENGINE = MergeTree ORDER BY tuple()")).containsExactly("my db.my t");
        assertThat(uncacheable("CREATE TABLE t UUID '123e4567-e89b-12d3-a456-426614174000' (a Int64 DEFAULT"
                + " rand64() CODEC(ZSTD(1)) COMMENT 'r') ENGINE = MergeTree ORDER BY tuple()"))
                .containsExactly("shop.t");
    }

    @Test
    void aFunctionCalledWithoutParenthesesCountsToo() {
        assertThat(uncacheable("CREATE TABLE t (id UInt8, at DateTime ALIAS now) ENGINE = Memory"))
                .containsExactly("shop.t");
        assertThat(uncacheable("CREATE TABLE t (id UInt8, at DateTime DEFAULT CURRENT_TIMESTAMP) ENGINE = Memory"))
                .containsExactly("shop.t");
        assertThat(uncacheable("CREATE TABLE t (id UInt8, d Date MATERIALIZED today) ENGINE = Memory"))
                .containsExactly("shop.t");
    }

    @Test
    void anExpressionInTheTablesClausesCounts() {
        assertThat(uncacheable("CREATE TABLE t (id UInt8) ENGINE = MergeTree ORDER BY id"
                + " TTL toDateTime(id) + INTERVAL 1 DAY DELETE WHERE rand() > 1")).containsExactly("shop.t");
        assertThat(uncacheable("CREATE TABLE t (id UInt8, d Date TTL least(d, today()) + INTERVAL 1 DAY)"
                + " ENGINE = MergeTree ORDER BY id")).containsExactly("shop.t");
        assertThat(uncacheable("CREATE TABLE t (d Date) ENGINE = MergeTree PARTITION BY toYYYYMM(now())"
                + " ORDER BY d")).containsExactly("shop.t");
        assertThat(uncacheable("CREATE TABLE t (d Date) ENGINE = MergeTree ORDER BY (d, rand())"))
                .containsExactly("shop.t");
    }

    @Test
    void aColumnThatReadsWhatTheTablesReadsDoNotNameOrAnUnknownFunctionCounts() {
        assertThat(uncacheable("CREATE TABLE t (id UInt64, n String ALIAS dictGet('geo.cities', 'name', id))"
                + " ENGINE = Memory")).containsExactly("shop.t");
        assertThat(uncacheable("CREATE TABLE t (id UInt64, v String DEFAULT joinGet(j, 'v', id)) ENGINE = Memory"))
                .containsExactly("shop.t");
        assertThat(uncacheable("CREATE TABLE t (id UInt8, m UInt8 ALIAS id IN other) ENGINE = Memory"))
                .containsExactly("shop.t");
        assertThat(uncacheable("CREATE TABLE t (id UInt8, x UInt8 ALIAS myUdf(id)) ENGINE = Memory"))
                .containsExactly("shop.t");
    }

    @Test
    void aMaterializedViewsOwnColumnsAreJudgedButNotItsSelect() {
        assertThat(uncacheable("CREATE MATERIALIZED VIEW mv (a UInt8, b DateTime ALIAS now()) ENGINE = MergeTree"
                + " ORDER BY a AS SELECT id AS a FROM src")).containsExactly("shop.mv");
        assertThat(uncacheable("CREATE MATERIALIZED VIEW mv (a UInt8, at DateTime) ENGINE = MergeTree ORDER BY a"
                + " AS SELECT id AS a, now() AS at FROM src")).isEmpty();
    }

    @Test
    void deterministicExpressionsAndValuesStoredOnceAreNoObstacle() {
        assertThat(uncacheable("CREATE TABLE t (id UInt8, d Date DEFAULT toDate('2024-01-01'), x UInt16 ALIAS id * 2,"
                + " s String MATERIALIZED lower(toString(id)) CODEC(ZSTD(1)) TTL d + INTERVAL 1 DAY COMMENT 'c',"
                + " u String ALIAS currentUser(), n Nullable(String) DEFAULT NULL, k UInt8 DEFAULT id IN (1, 2),"
                + " INDEX i x TYPE bloom_filter(0.01) GRANULARITY 1, PROJECTION p (SELECT id ORDER BY x),"
                + " CONSTRAINT c CHECK id > 0) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY (id, d)"
                + " TTL d + INTERVAL 30 DAY SETTINGS index_granularity = 8192")).isEmpty();
        assertThat(uncacheable("CREATE TABLE t ENGINE = MergeTree ORDER BY tuple() AS SELECT now() AS at,"
                + " rand() AS r")).as("stored once, when it runs").isEmpty();
        assertThat(uncacheable("CREATE TABLE t (now DateTime, today Date) ENGINE = Memory"))
                .as("columns so named").isEmpty();
        assertThat(uncacheable("CREATE TABLE now (a UInt8) ENGINE = Memory")).as("a table so named").isEmpty();
        assertThat(uncacheable("CREATE TABLE a (x UInt8) ENGINE = Memory; CREATE TABLE b (x DateTime DEFAULT"
                + " now()) ENGINE = Memory")).containsExactly("shop.b");
    }

    @Test
    void anAlterThatGivesAColumnSuchAnExpressionMakesTheTableUncacheable() {
        assertThat(uncacheable("ALTER TABLE t ADD COLUMN at DateTime ALIAS now()")).containsExactly("shop.t");
        assertThat(uncacheable("ALTER TABLE x.t ADD COLUMN IF NOT EXISTS r UInt64 DEFAULT rand64() AFTER id"))
                .containsExactly("x.t");
        assertThat(uncacheable("ALTER TABLE t MODIFY COLUMN at DateTime64(6) ALIAS now64(6)"))
                .containsExactly("shop.t");
        assertThat(uncacheable("ALTER TABLE t ON CLUSTER c MODIFY COLUMN IF EXISTS d Date MATERIALIZED today"))
                .containsExactly("shop.t");
        assertThat(uncacheable("ALTER TABLE t DROP COLUMN y, ADD COLUMN z UInt32 ALIAS rand()"))
                .containsExactly("shop.t");
        assertThat(uncacheable("ALTER TABLE t ADD COLUMN n String ALIAS dictGet('geo.cities', 'name', id)"))
                .containsExactly("shop.t");
        assertThat(uncacheable("ALTER TABLE t ADD COLUMN x UInt8 DEFAULT myUdf(id)")).containsExactly("shop.t");
        assertThat(uncacheable("ALTER TABLE t MODIFY TTL d + INTERVAL 1 DAY DELETE WHERE rand() > 0"))
                .containsExactly("shop.t");
        assertThat(uncacheable("ALTER TABLE v MODIFY QUERY SELECT now() AS at FROM s")).containsExactly("shop.v");
        assertThat(uncacheable("ALTER TABLE v MODIFY QUERY SELECT a, b FROM system.parts")).containsExactly("shop.v");
    }

    @Test
    void anAlterWhoseExpressionsRunOnceOrAreDeterministicChangesNothing() {
        assertThat(uncacheable("ALTER TABLE t DELETE WHERE d < now() - INTERVAL 30 DAY")).isEmpty();
        assertThat(uncacheable("ALTER TABLE t UPDATE at = now() WHERE id = 1")).isEmpty();
        assertThat(uncacheable("ALTER TABLE t UPDATE s = 'a', at = now(), `r` = rand() WHERE id = 1, DELETE WHERE"
                + " d < today()")).isEmpty();
        assertThat(uncacheable("ALTER TABLE t UPDATE s = 'a' WHERE id = 1, ADD COLUMN at DateTime ALIAS now()"))
                .containsExactly("shop.t");
        assertThat(uncacheable("ALTER TABLE t DROP PARTITION toYYYYMM(today())")).isEmpty();
        assertThat(uncacheable("ALTER TABLE t ADD COLUMN x UInt16 ALIAS id * 2, MODIFY COLUMN d Date DEFAULT"
                + " toDate('2024-01-01')")).isEmpty();
        assertThat(uncacheable("ALTER TABLE t MODIFY COLUMN at REMOVE ALIAS")).isEmpty();
        assertThat(uncacheable("ALTER TABLE t ADD COLUMN now DateTime")).as("a column so named").isEmpty();
        assertThat(uncacheable("ALTER TABLE v MODIFY QUERY SELECT a, b FROM s")).isEmpty();
        assertThat(uncacheable("ALTER TABLE")).isEmpty();
    }
}
