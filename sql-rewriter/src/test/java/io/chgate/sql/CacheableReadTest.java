package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CacheableReadTest {
    private static CacheableRead.Verdict verdict(String sql) {
        return CacheableRead.of(ParsedStatement.of(sql), "shop");
    }

    private static void cacheable(String sql, String... objects) {
        CacheableRead.Verdict v = verdict(sql);
        assertThat(v.reason()).as(sql).isNull();
        assertThat(v.cacheable()).as(sql).isTrue();
        assertThat(v.objects()).as(sql).containsExactlyInAnyOrder(objects);
    }

    private static void notCacheable(String sql, String reasonPart) {
        CacheableRead.Verdict v = verdict(sql);
        assertThat(v.cacheable()).as(sql).isFalse();
        assertThat(v.objects()).as(sql).isEmpty();
        assertThat(v.reason()).as(sql).containsIgnoringCase(reasonPart);
    }

    @Test
    void readOnlyStatementsAreCachedWithTheObjectsTheyRead() {
        cacheable("SELECT count() FROM orders", "shop.orders");
        cacheable("SELECT * FROM Analytics.Events e JOIN users u ON e.uid = u.id", "Analytics.Events", "shop.users");
        cacheable("WITH recent AS (SELECT * FROM orders WHERE d > '2024-01-01') SELECT count() FROM recent",
                "shop.orders", "shop.recent");
        cacheable("(SELECT 1 FROM a) UNION ALL (SELECT 2 FROM b.c)", "shop.a", "b.c");
        cacheable("SELECT 1");
        cacheable("DESCRIBE TABLE orders", "shop.orders");
        cacheable("DESC analytics.events", "analytics.events");
        cacheable("EXISTS TABLE orders", "shop.orders");
        cacheable("SHOW CREATE TABLE analytics.events", "analytics.events");
        cacheable("SHOW COLUMNS FROM orders", "shop.orders");
        cacheable("SELECT * FROM orders FORMAT JSONEachRow", "shop.orders");
        cacheable("SELECT * FROM orders WHERE id = {id:UInt64} SETTINGS max_threads = 2", "shop.orders");
        cacheable("SELECT 1;", new String[0]);
    }

    @Test
    void deterministicFunctionsAndConstructsAreNoObstacle() {
        cacheable("SELECT sumIf(x, y > 0), uniqMergeState(s), countOrNull(), quantile(0.5)(x), quantilesIf(0.5, 0.9)(x, y)"
                + " FROM t", "shop.t");
        cacheable("SELECT CAST(x AS Nullable(String)), x::Decimal(10, 2), toDateTime64(x, 3), arrayMap(v -> v * 2, a),"
                + " [1, 2], (1, 'a'), x IN (1, 2), x NOT IN (SELECT y FROM u), CASE WHEN (x > 1) THEN (1) ELSE (2) END"
                + " FROM t", "shop.t", "shop.u");
        cacheable("SELECT row_number() OVER (PARTITION BY a ORDER BY b), COLUMNS('^c') FROM t WHERE EXISTS"
                + " (SELECT 1 FROM u) GROUP BY ROLLUP(a, b)", "shop.t", "shop.u");
        cacheable("SELECT currentDatabase(), currentUser(), COUNT(*), DATE(now_col), t.now FROM t", "shop.t");
        cacheable("SELECT dictGet('geo.cities', 'name', id), joinGet(j, 'v', 1) FROM t", "shop.geo.cities",
                "geo.cities", "shop.j", "shop.t");
        cacheable("SELECT arrayReduce('uniq', a), arrayReduce('quantile(0.5)', a) FROM t", "shop.t");
        cacheable("SELECT number FROM numbers(10)");
        cacheable("SELECT * FROM postgresql(pg_shop, table = 'orders')");
        cacheable("SELECT * FROM view(SELECT a FROM t)", "shop.t");
        cacheable("SELECT `sum`(x) FROM t", "shop.t");
    }

    @Test
    void nonDeterministicFunctionsAreNeverCached() {
        notCacheable("SELECT now()", "now() is non-deterministic");
        notCacheable("SELECT NOW()", "non-deterministic");
        notCacheable("SELECT count() FROM t WHERE d > toStartOfDay(now()) - INTERVAL 1 DAY", "now()");
        notCacheable("SELECT now", "without parentheses");
        notCacheable("SELECT * FROM t WHERE d = CURRENT_DATE", "CURRENT_DATE");
        notCacheable("SELECT rand(), x FROM t", "rand()");
        notCacheable("SELECT generateUUIDv4()", "generateUUIDv4()");
        notCacheable("SELECT groupArraySampleIf(3)(x, y) FROM t", "groupArraySampleIf()");
        notCacheable("SELECT arrayReduce('groupArraySample(2)', a) FROM t", "a string names is non-deterministic");
        notCacheable("SELECT arrayReduce('noSuchAggregate', a) FROM t", "a string names is unknown");
        notCacheable("SELECT arrayReduce(name, a) FROM t", "expression");
        notCacheable("SELECT hostName(), version()", "hostName()");
        notCacheable("SELECT x FROM t WHERE 1 IN (SELECT rand())", "rand()");
        notCacheable("SELECT myUdf(x) FROM t", "unknown function myUdf()");
        notCacheable("SELECT runningDifference(x) FROM t", "runningDifference()");
    }

    @Test
    void liveStateAndLiveTableFunctionsAreNeverCached() {
        notCacheable("SELECT * FROM system.processes", "system.processes");
        notCacheable("SELECT * FROM information_schema.tables", "information_schema.tables");
        notCacheable("SELECT * FROM INFORMATION_SCHEMA.TABLES", "INFORMATION_SCHEMA.TABLES");
        assertThat(CacheableRead.of(ParsedStatement.of("SELECT * FROM one"), "system").cacheable()).isFalse();
        notCacheable("SELECT * FROM generateRandom('a UInt8') LIMIT 1", "generateRandom() reads live rows");
        notCacheable("SELECT * FROM url('http://x/y.csv', CSV)", "url()");
        notCacheable("SELECT * FROM s3('https://b/k.parquet')", "s3()");
        notCacheable("SELECT * FROM remote('h:9000', db.t)", "remote()");
        notCacheable("SELECT * FROM file('x.csv')", "file()");
        notCacheable("SELECT * FROM merge('db', '^t')", "merge");
    }

    @Test
    void onlyOneReadOnlyStatementIsCached() {
        notCacheable("SELECT 1; SELECT 2", "more than one");
        notCacheable("INSERT INTO t VALUES (1)", "INSERT");
        notCacheable("EXPLAIN SELECT 1", "EXPLAIN");
        notCacheable("SHOW TABLES", "SHOW TABLES");
        notCacheable("SHOW DATABASES", "live state");
        notCacheable("SHOW PROCESSLIST", "live state");
        notCacheable("SHOW CREATE USER bob", "live state");
        notCacheable("DESCRIBE TEMPORARY TABLE t", "temporary");
        notCacheable("EXISTS DATABASE shop", "database shop");
        notCacheable("SELECT * FROM t INTO OUTFILE 'x.csv'", "OUTFILE");
        notCacheable("SELECT * FROM {t:Identifier}", "Identifier");
        notCacheable("SELECT * FROM merge(currentDatabase(), 'secret_pattern')", "merge()");
        notCacheable("SELECT * FROM t WHERE x = dictGet(concat('a', 'b'), 'v', 1)", "cannot be told");
        notCacheable("SELECT `a\nb`(1)", "unknown function a?b()");
        notCacheable("SELECT 'unterminated", "unreadable");
        notCacheable("", "no statement");
        notCacheable("SET max_threads = 1", "SET");
        notCacheable("SELECT * FROM t SETTINGS use_query_cache = 1", "query cache");
    }

    @Test
    void writesNameWhatTheyChange() {
        assertThat(written("INSERT INTO orders VALUES (1)")).containsExactly("shop.orders");
        assertThat(written("INSERT INTO a.b SELECT * FROM c")).containsExactly("a.b");
        assertThat(written("ALTER TABLE orders UPDATE x = 1 WHERE id = 2")).containsExactly("shop.orders");
        assertThat(written("ALTER TABLE a.orders DELETE WHERE id = 2")).containsExactly("a.orders");
        assertThat(written("ALTER TABLE a MOVE PARTITION 1 TO TABLE b")).containsExactlyInAnyOrder("shop.a", "shop.b");
        assertThat(written("DELETE FROM orders WHERE id = 2")).containsExactly("shop.orders");
        assertThat(written("UPDATE orders SET x = 1 WHERE id = 2")).containsExactly("shop.orders");
        assertThat(written("TRUNCATE TABLE orders")).containsExactly("shop.orders");
        assertThat(written("DROP TABLE IF EXISTS a.b")).containsExactly("a.b");
        assertThat(written("DROP VIEW v")).containsExactly("shop.v");
        assertThat(written("DROP DICTIONARY d")).containsExactly("shop.d");
        assertThat(written("DROP DATABASE old")).containsExactly("old.*");
        assertThat(written("RENAME TABLE a TO b, c.d TO c.e")).containsExactlyInAnyOrder("shop.a", "shop.b", "c.d",
                "c.e");
        assertThat(written("EXCHANGE TABLES a AND x.b")).containsExactlyInAnyOrder("shop.a", "x.b");
        assertThat(written("OPTIMIZE TABLE orders FINAL")).containsExactly("shop.orders");
        assertThat(written("CREATE OR REPLACE TABLE t ENGINE = Memory AS SELECT * FROM s")).containsExactly("shop.t");
        assertThat(written("REPLACE TABLE t (a UInt8) ENGINE = Memory")).containsExactly("shop.t");
        assertThat(written("CREATE TABLE t (a UInt8) ENGINE = Memory")).containsExactly("shop.t");
        assertThat(written("ATTACH TABLE t")).containsExactly("shop.t");
        assertThat(written("DETACH TABLE x.t")).containsExactly("x.t");
        assertThat(written("SYSTEM RELOAD DICTIONARY geo.cities")).containsExactly("geo.cities");
        assertThat(written("INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)")).containsExactly("shop.a", "shop.b");
    }

    @Test
    void readsChangeNothingAndWhatCannotBeToldChangesEverything() {
        assertThat(written("SELECT * FROM orders")).isEmpty();
        assertThat(written("SHOW TABLES")).isEmpty();
        assertThat(written("CHECK TABLE orders")).isEmpty();
        assertThat(written("SELECT * FROM merge('db', '^t')")).isEmpty();
        assertThat(written("INSERT INTO FUNCTION postgresql(pg, table = 'x') VALUES (1)"))
                .containsExactly(CacheableRead.EVERYTHING);
        assertThat(written("GRANT SELECT ON db.* TO bob")).containsExactly(CacheableRead.EVERYTHING);
        assertThat(written("SYSTEM DROP DNS CACHE")).containsExactly(CacheableRead.EVERYTHING);
        assertThat(written("INSERT INTO 'unterminated")).containsExactly(CacheableRead.EVERYTHING);
    }

    @Test
    void viewsDeriveFromWhatTheirSelectReads() {
        assertThat(derivations("CREATE VIEW v AS SELECT * FROM a JOIN x.b ON a.id = b.id"))
                .isEqualTo(Map.of("shop.v", Set.of("shop.a", "x.b")));
        assertThat(derivations("CREATE MATERIALIZED VIEW mv TO agg.daily AS SELECT d, count() FROM events GROUP BY d"))
                .isEqualTo(Map.of("shop.mv", Set.of("shop.events"), "agg.daily", Set.of("shop.events")));
        assertThat(derivations("CREATE MATERIALIZED VIEW mv ENGINE = MergeTree ORDER BY d AS SELECT d FROM events"))
                .isEqualTo(Map.of("shop.mv", Set.of("shop.events")));
        assertThat(derivations("CREATE OR REPLACE VIEW v AS SELECT * FROM a"))
                .isEqualTo(Map.of("shop.v", Set.of("shop.a")));
        assertThat(derivations("SELECT 1; ATTACH MATERIALIZED VIEW mv TO t AS SELECT * FROM s"))
                .isEqualTo(Map.of("shop.mv", Set.of("shop.s"), "shop.t", Set.of("shop.s")));
        assertThat(derivations("CREATE TABLE b AS d ENGINE = Buffer(x, d, 16, 10, 100, 10000, 1000000, 1e7, 1e8)"))
                .isEqualTo(Map.of("shop.b", Set.of("x.d", "shop.d")));
        assertThat(derivations("CREATE TABLE a ENGINE = Alias(x.t)")).isEqualTo(Map.of("shop.a", Set.of("x.t")));
        assertThat(derivations("CREATE TABLE t AS s")).isEmpty();
        assertThat(derivations("SELECT * FROM v")).isEmpty();
    }

    @Test
    void viewsThatRunANonDeterministicSelectAreNamed() {
        assertThat(uncacheableObjects("CREATE VIEW recent AS SELECT * FROM t WHERE d > now() - INTERVAL 1 DAY"))
                .containsExactly("shop.recent");
        assertThat(uncacheableObjects("CREATE OR REPLACE VIEW x.p (a UInt8) AS SELECT a FROM system.parts"))
                .containsExactly("x.p");
        assertThat(uncacheableObjects("ATTACH VIEW r AS SELECT rand()")).containsExactly("shop.r");
        assertThat(uncacheableObjects("CREATE LIVE VIEW lv AS SELECT count() FROM t")).containsExactly("shop.lv");
        assertThat(uncacheableObjects("CREATE VIEW ok AS SELECT a, sum(b) FROM t GROUP BY a")).isEmpty();
        assertThat(uncacheableObjects("CREATE MATERIALIZED VIEW mv TO d AS SELECT now() AS at, a FROM t")).isEmpty();
        assertThat(uncacheableObjects("SELECT now()")).isEmpty();
    }

    @Test
    void tablesOfLiveEnginesAreNamed() {
        assertThat(uncacheableObjects("CREATE TABLE r (a UInt8) ENGINE = GenerateRandom")).containsExactly("shop.r");
        assertThat(uncacheableObjects("CREATE TABLE x.s (a UInt8) ENGINE=S3('https://b/k.csv', 'CSV')"))
                .containsExactly("x.s");
        assertThat(uncacheableObjects("CREATE OR REPLACE TABLE m ENGINE = Merge(currentDatabase(), '^t')"))
                .containsExactly("shop.m");
        assertThat(uncacheableObjects("CREATE TABLE u AS url('http://h/x.csv', CSV)")).containsExactly("shop.u");
        assertThat(uncacheableObjects("CREATE TABLE c AS other")).as("another table's engine").containsExactly(
                "shop.c");
        assertThat(uncacheableObjects("CREATE TABLE k (a UInt8) ENGINE = NoSuchEngine")).containsExactly("shop.k");
        assertThat(uncacheableObjects("CREATE TABLE t (a UInt8) ENGINE = ReplicatedMergeTree ORDER BY a")).isEmpty();
        assertThat(uncacheableObjects("CREATE TABLE t (a UInt8) ENGINE = PostgreSQL(pg, table = 'x')")).isEmpty();
        assertThat(uncacheableObjects("CREATE TABLE t (a UInt8) ORDER BY a")).isEmpty();
        assertThat(uncacheableObjects("CREATE TABLE t ENGINE = Memory AS SELECT 1 AS a")).isEmpty();
        assertThat(uncacheableObjects("CREATE TABLE t AS numbers(10)")).isEmpty();
        assertThat(uncacheableObjects("CREATE TEMPORARY TABLE t (a UInt8) ENGINE = GenerateRandom")).isEmpty();
    }

    @Test
    void anIdentifierParameterMayNameAFunctionCalledBare() {
        notCacheable("SELECT {c:Identifier} FROM t", "Identifier");
        cacheable("SELECT a FROM t WHERE b = {v:String}", "shop.t");
    }

    private static Set<String> uncacheableObjects(String sql) {
        return CacheableRead.uncacheableObjects(ParsedStatement.of(sql), "shop");
    }

    private static Set<String> written(String sql) {
        return CacheableRead.written(ParsedStatement.of(sql), "shop");
    }

    private static Map<String, Set<String>> derivations(String sql) {
        return CacheableRead.derivations(ParsedStatement.of(sql), "shop");
    }
}
