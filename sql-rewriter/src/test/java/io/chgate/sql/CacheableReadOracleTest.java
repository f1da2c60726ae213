package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.engine.EngineException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Parity with ClickHouse 26's own query cache, which refuses a statement that calls a non-deterministic function
 * (code 704) or reads a system table (code 719) when told to throw: over the BI corpus and, when
 * {@code CHGATE_CORPUS} is set, the public corpus, every statement {@link CacheableRead} calls cacheable and the engine
 * can run is one the engine's cache accepts too — but for the functions {@link FunctionRules} deliberately judge
 * deterministic for chgate's key (the current database and user, dictionaries the cache records, arrayJoin), for which
 * the engine must refuse.
 */
class CacheableReadOracleTest {
    private static final Map<String, String> STRICT_CACHE = Map.of("use_query_cache", "1",
            "query_cache_nondeterministic_function_handling", "throw", "query_cache_system_table_handling", "throw",
            "max_execution_time", "5", "max_rows_to_read", "10000000", "max_result_rows", "100000");

    private static final java.util.Set<String> READS = java.util.Set.of("select", "with", "show", "describe", "desc",
            "exists");

    @Test
    void whatChgateCachesTheEnginesQueryCacheAcceptsToo() {
        EmbeddedClickHouse engine = OracleEngine.get();
        engine.queryText("CREATE DATABASE IF NOT EXISTS analytics", "TSV");
        engine.queryText("CREATE TABLE IF NOT EXISTS analytics.orders (id UInt64, status String, customer String,"
                + " amount Float64, created_at DateTime) ENGINE = MergeTree ORDER BY id", "TSV");
        engine.queryText("CREATE TABLE IF NOT EXISTS analytics.customers (name String, segment String)"
                + " ENGINE = MergeTree ORDER BY name", "TSV");
        engine.queryText("INSERT INTO analytics.orders SELECT number, 'paid', toString(number % 7), number,"
                + " toDateTime('2026-10-01 00:00:00') + number FROM numbers(100)", "TSV");
        List<String> statements = new ArrayList<>();
        for (String template : BiCorpusTest.blocks("queries.sql")) {
            statements.add(template.replace("{src}", "analytics.orders"));
        }
        statements.addAll(BiCorpusTest.blocks("introspection.sql"));
        statements.addAll(PublicCorpus.statements());
        statements.addAll(List.of("SELECT now()", "SELECT today", "SELECT rand() FROM analytics.orders",
                "SELECT currentDatabase()", "SELECT arrayJoin([1, 2])", "SELECT count() FROM system.one",
                "SELECT * FROM numbers(3) WHERE number < toUInt64(now())", "SELECT uniqExactIf(id, id > 3) FROM"
                        + " analytics.orders", "SELECT count() FROM (SELECT * FROM analytics.orders) WHERE id IN"
                        + " (SELECT generateSnowflakeID())"));
        int cached = 0;
        int ran = 0;
        int engineOnly = 0;
        List<String> disagreements = new ArrayList<>();
        for (String sql : statements) {
            ParsedStatement statement = ParsedStatement.of(sql);
            if (!READS.contains(String.valueOf(statement.firstWord())) || sql.toLowerCase().contains("outfile")) {
                continue;   // only reads run here: the corpus's writes and DDL are not the oracle's to run
            }
            CacheableRead.Verdict verdict = CacheableRead.of(statement, "default");
            Integer refusal = engineCacheRefusal(engine, sql);
            if (refusal != null && refusal == -1) {
                continue;   // the engine cannot run it here (no such table, a host that does not answer, ...)
            }
            ran++;
            if (!verdict.cacheable()) {
                if (refusal == null) {
                    engineOnly++;
                }
                continue;
            }
            cached++;
            boolean keyed = CacheableRead.called(statement).stream().anyMatch(name ->
                    FunctionRules.FIXED_BY_KEY.contains(name) || FunctionRules.PLANNER_ONLY.contains(name)
                            || FunctionRules.readsNamedObject(name));
            if (refusal != null && !keyed) {
                disagreements.add("engine refused with code " + refusal + ": " + sql);
            }
        }
        System.out.println("cache oracle: " + ran + " statements ran, " + cached + " cacheable to chgate, "
                + engineOnly + " the engine's cache would keep and chgate does not");
        assertThat(ran).isGreaterThan(50);
        assertThat(cached).isGreaterThan(20);
        assertThat(disagreements).as("statements chgate would cache that the engine's query cache refuses").isEmpty();
    }

    /** null: the engine's cache took it; 704 / 719: refused for non-determinism / a system table; -1: did not run. */
    private static Integer engineCacheRefusal(EmbeddedClickHouse engine, String sql) {
        try {
            engine.execute(new EmbeddedClickHouse.Request(sql.getBytes(StandardCharsets.UTF_8), "TSV", null,
                    STRICT_CACHE, Map.of()).streamed(false), chunk -> true);
            return null;
        } catch (EngineException e) {
            return e.code() == 704 || e.code() == 719 ? e.code() : -1;
        }
    }
}
