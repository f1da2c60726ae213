package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every place a statement assigns a setting goes through the one check, in every spelling ClickHouse reads. */
class SettingsPolicyTest {
    private static final SettingsPolicy CAPS = SettingsPolicy.withCaps(Map.of("max_threads", 8L,
            "max_memory_usage", 1L << 30));

    private static List<SettingAssignment> assignments(String sql) {
        Tokens t = Lexer.tokenize(sql);
        return SettingAssignments.of(sql, t, 0, t.size());
    }

    private static List<String> names(String sql) {
        return assignments(sql).stream().map(SettingAssignment::name).toList();
    }

    /** Each clause position and quoting, with a setting that carries SQL: refused in all of them. */
    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1 AS x SETTINGS additional_result_filter = 'x = 1'",
        "SELECT 1 AS x SETTINGS \"additional_result_filter\" = 'x = 1'",
        "SELECT 1 AS x SETTINGS `additional_result_filter` = 'x = 1'",
        "SELECT 1 AS x SETTINGS max_threads = 1, additional_result_filter = 'x = 1'",
        "SELECT 1 AS x SETTINGS max_threads = 1 , /* c */ additional_result_filter\n=\n'x = 1'",
        "select 1 as x settings additional_result_filter = 'x = 1' format JSON",
        "SELECT 1 AS x FORMAT JSON SETTINGS additional_result_filter = 'x = 1'",
        "SELECT * FROM (SELECT 1 AS x SETTINGS additional_result_filter = 'x = 1')",
        "SELECT 1 WHERE 1 IN (SELECT 1 SETTINGS additional_table_filters = {'t': 'x = 1'})",
        "WITH s AS (SELECT 1 AS x SETTINGS additional_result_filter = 'x = 1') SELECT * FROM s",
        "SELECT 1 UNION ALL SELECT 2 SETTINGS additional_result_filter = 'x = 1'",
        "SELECT * FROM view(SELECT 1 AS x SETTINGS additional_result_filter = 'x = 1')",
        "INSERT INTO t SETTINGS additional_table_filters = {'t': '1'} VALUES (1)",
        "INSERT INTO t SETTINGS max_threads = 1, additional_result_filter = 'x' SELECT 1",
        "SET additional_result_filter = 'x = 1'",
        "SET max_block_size = 10, additional_table_filters = {'t': 'x = 1'}",
        "CREATE TABLE t (x Int8) ENGINE = MergeTree ORDER BY x SETTINGS additional_result_filter = 'x = 1'",
        "CREATE TABLE t (x Int8) ENGINE = Memory SETTINGS additional_result_filter = 'x = 1'",
        "CREATE TABLE t ENGINE = MergeTree ORDER BY x AS SELECT 1 AS x SETTINGS additional_result_filter = 'x'",
        "CREATE VIEW v AS SELECT 1 AS x SETTINGS additional_result_filter = 'x = 1'",
        "CREATE MATERIALIZED VIEW v ENGINE = Memory AS SELECT 1 AS x SETTINGS additional_result_filter = 'x'",
        "SELECT 1 FORMAT Template SETTINGS format_template_row = '/etc/passwd'",
        "SELECT 1 SETTINGS format_schema = 'x.proto:M'",
        "SELECT 1 SETTINGS format_template_resultset = $$/etc/passwd$$",
        "SELECT 1 SETTINGS no_such_setting = 1",
        "SELECT 1 SETTINGS Max_Threads = 1",
        "SELECT 1 SETTINGS MAX_THREADS = 1",
        "SELECT 1 SETTINGS custom_x = 1",
        "SELECT 1 SETTINGS a.b = 1",
        "SELECT 1 SETTINGS query = 'SELECT 2'",
        "SELECT 1 SETTINGS profile = 'default'",
        "SELECT 1 SETTINGS allow_introspection_functions",
        "SELECT 1 SETTINGS max_threads = 1, allow_ddl FORMAT JSON",
        "SELECT 1 SETTINGS dialect = 'prql'",
        "SET dialect = 'kusto'",
        "SELECT 1 SETTINGS max_memory_usage = 0",
        "SELECT 1 SETTINGS max_memory_usage = '0'",
        "SELECT 1 SETTINGS max_memory_usage = 1e20",
        "SELECT 1 SETTINGS max_memory_usage = '1T'",
        "SELECT 1 SETTINGS max_memory_usage = 99999999999999",
        "SELECT 1 SETTINGS max_threads = 256",
        "SELECT 1 SETTINGS max_threads = DEFAULT",
        "SELECT 1 SETTINGS max_threads = {t:UInt64}",
        "SELECT 1 SETTINGS max_threads = -1",
        "SELECT 1 SETTINGS max_threads",
        "SET max_memory_usage = 0",
        "CREATE TABLE t (x Int8) ENGINE = MergeTree ORDER BY x SETTINGS disk = 'default'",
        "CREATE TABLE t (x Int8) ENGINE = MergeTree ORDER BY x SETTINGS storage_policy = 'default'",
        "CREATE TABLE t (x Int8) ENGINE = MergeTree ORDER BY x SETTINGS max_threads = 512",
        "ALTER TABLE t MODIFY SETTING storage_policy = 'other'",
        "ALTER TABLE t MODIFY SETTING additional_result_filter = 'x'",
        "ALTER TABLE t MODIFY COLUMN x MODIFY SETTING no_such = 1",
        "CREATE TABLE t (x String SETTINGS (no_such = 1)) ENGINE = MergeTree ORDER BY tuple()",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(NULL()) LAYOUT(FLAT()) LIFETIME(0) SETTINGS(format_template_row = '/x')",
        "SELECT 1 SETTINGS max_block_size = some_identifier",
        "SELECT 1 SETTINGS max_block_size = 1 + 1",
        "SELECT 1 SETTINGS max_block_size = toUInt64(1)",
        "SELECT 1; SELECT 2 SETTINGS additional_result_filter = 'x'",
        "(SELECT 1 SETTINGS additional_result_filter = 'x')",
        "SET TIME ZONE 'UTC', additional_result_filter = 'x'",
        "SET role = 1, additional_result_filter = 'x'",
        "SET default = 1, additional_result_filter = 'x'",
        "SELECT 1 SETTINGS “additional_result_filter” = 'x'",
        "SELECT 1 SETTINGS `additional\\x5fresult_filter` = 'x'",
        "SELECT 1 SETTINGS {name:Identifier} = 1",
        "CREATE TABLE k (s String) ENGINE = Kafka(events_kafka) SETTINGS kafka_schema = '/etc/passwd:M'",
        "CREATE TABLE k (s String) ENGINE = Kafka(events_kafka) SETTINGS kafka_format = 'Template', format_template_row = '/x'"
    })
    void refused(String sql) {
        assertThat(StatementPolicy.mightRefuse(sql)).as("pre-check").isTrue();
        assertThat(Prescan.mightNeedParse(sql)).as("prescan").isTrue();
        String refusal = StatementPolicy.refusal(sql, CAPS);
        assertThat(refusal).as(sql).isNotNull().startsWith("chgate: ");
        assertThat(refusal).doesNotContain("'").doesNotContain("/etc").doesNotContain("x = 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1 SETTINGS max_threads = 4",
        "SELECT 1 SETTINGS max_threads = '8', max_memory_usage = 1000000",
        "SELECT count() FROM t SETTINGS max_execution_time = 10, result_overflow_mode = 'break'",
        "SELECT 1 FORMAT JSON SETTINGS output_format_json_quote_64bit_integers = 0",
        "SELECT 1 SETTINGS use_query_cache",
        "SELECT 1 SETTINGS use_query_cache, max_block_size = 100",
        "SELECT 1 SETTINGS max_block_size = DEFAULT",
        "SELECT 1 SETTINGS max_block_size = {n:UInt64}",
        "SELECT 1 SETTINGS `max_block_size` = 1, \"log_comment\" = 'dashboard 7'",
        "SELECT 1 SETTINGS session_timezone = 'UTC', date_time_input_format = 'best_effort'",
        "SELECT 1 SETTINGS param_x = 3",
        "SET param_x = 'anything'",
        "SET max_threads = 4",
        "SET TIME ZONE 'Europe/Amsterdam'",
        "SET ROLE analyst",
        "SET readonly = 1",
        "INSERT INTO t SETTINGS async_insert = 1, wait_for_async_insert = 1 VALUES (1)",
        "CREATE TABLE t (x Int8) ENGINE = MergeTree ORDER BY x SETTINGS index_granularity = 8192",
        "CREATE TABLE t (x Int8) ENGINE = MergeTree ORDER BY x SETTINGS index_granularity = 8192, max_threads = 2",
        "CREATE TABLE t (x Int8) ENGINE = Memory SETTINGS max_rows_to_keep = 100",
        "CREATE TABLE t (x String SETTINGS (max_compress_block_size = 1000)) ENGINE = MergeTree ORDER BY tuple()",
        "CREATE TABLE k (s String) ENGINE = Kafka(events_kafka) SETTINGS kafka_topic_list = 't', kafka_format = 'JSONEachRow'",
        "ALTER TABLE t MODIFY SETTING index_granularity_bytes = 100",
        "ALTER TABLE t RESET SETTING index_granularity_bytes",
        "SELECT settings FROM system.query_log",
        "SELECT settings, query FROM system.query_log WHERE settings['max_threads'] = '1'",
        "SELECT Settings FROM system.processes",
        "SELECT q.settings FROM system.query_log AS q",
        "SELECT * FROM system.settings WHERE name = 'max_threads'",
        "SELECT name FROM system.merge_tree_settings ORDER BY name",
        "SHOW SETTINGS LIKE '%thread%'",
        "SHOW CHANGED SETTINGS ILIKE 'max%'",
        "SELECT 'SETTINGS additional_result_filter = 1'",
        "SELECT 1 -- SETTINGS additional_result_filter = 1",
        "ALTER TABLE t UPDATE x = 1 WHERE 1",
        "UPDATE t SET x = 1 WHERE y = 2",
        "SELECT count() FROM t WHERE set = 1",
        "SELECT settings x FROM system.query_log",
        "SELECT x FROM t ORDER BY settings LIMIT 1",
        "SELECT * FROM system.query_log AS settings WHERE 1"
    })
    void allowed(String sql) {
        assertThat(StatementPolicy.refusal(sql, CAPS)).as(sql).isNull();
    }

    @Test
    void readsNamesAsClickHouseDoes() {
        assertThat(names("SELECT 1 SETTINGS `max_threads` = 1, \"max_block_size\" = 2, a.b = 3, c"))
                .containsExactly("max_threads", "max_block_size", "a.b", "c");
        assertThat(names("SET TIME ZONE = 'UTC'")).containsExactly("session_timezone");
        assertThat(names("SELECT settings FROM system.query_log")).isEmpty();
        assertThat(names("CREATE TABLE t (x Int8) ENGINE = MergeTree ORDER BY x SETTINGS index_granularity = 1"
                + " AS SELECT 1 SETTINGS max_threads = 1")).containsExactly("index_granularity", "max_threads");
        assertThat(assignments("CREATE TABLE t (x Int8) ENGINE = MergeTree ORDER BY x SETTINGS index_granularity = 1"
                + " AS SELECT 1 SETTINGS max_threads = 1")).extracting(SettingAssignment::table)
                .containsExactly(true, false);
    }

    @Test
    void readsValuesAsClickHouseDoes() {
        List<SettingAssignment> a = assignments("SELECT 1 SETTINGS a = 'it''s', b = -5, c = DEFAULT, d = {x:UInt8},"
                + " e = {'k': 'v'}, f = disk(type = local, path = '/x'), g = true, h = $t$raw$t$");
        assertThat(a).extracting(SettingAssignment::kind).containsExactly(SettingAssignment.Kind.LITERAL,
                SettingAssignment.Kind.LITERAL, SettingAssignment.Kind.DEFAULT, SettingAssignment.Kind.SUBSTITUTION,
                SettingAssignment.Kind.COMPOSITE, SettingAssignment.Kind.FUNCTION, SettingAssignment.Kind.LITERAL,
                SettingAssignment.Kind.LITERAL);
        assertThat(a.get(0).value()).isEqualTo("it's");
        assertThat(a.get(1).value()).isEqualTo("-5");
        assertThat(a.get(7).value()).isEqualTo("raw");
    }

    @Test
    void requestParametersGoThroughTheSameRegistry() {
        assertThat(CAPS.check("max_block_size", "1000")).isNull();
        assertThat(CAPS.check("query", "SELECT 1")).isNull();
        assertThat(CAPS.check("database", "default")).isNull();
        assertThat(CAPS.check("param_id", "2")).isNull();
        assertThat(CAPS.check("ext_structure", "x UInt8")).isNull();
        assertThat(CAPS.check("wait_end_of_query", "1")).isNull();
        assertThat(CAPS.check("send_progress_in_http_headers", "1")).isNull();
        assertThat(CAPS.check("max_threads", "8")).isNull();

        assertThat(CAPS.check("no_such_setting", "1").code()).isEqualTo(SettingRefusal.UNKNOWN_SETTING);
        assertThat(CAPS.check("Max_Threads", "1").code()).isEqualTo(SettingRefusal.UNKNOWN_SETTING);
        assertThat(CAPS.check("max_threads", "9").code()).isEqualTo(SettingRefusal.SETTING_CONSTRAINT_VIOLATION);
        assertThat(CAPS.check("max_memory_usage", "0").code()).isEqualTo(SettingRefusal.SETTING_CONSTRAINT_VIOLATION);
        assertThat(CAPS.check("max_memory_usage", "1G").code())
                .isEqualTo(SettingRefusal.SETTING_CONSTRAINT_VIOLATION);
        assertThat(CAPS.check("input_format_values_interpret_expressions", "1").code())
                .isEqualTo(SettingRefusal.ACCESS_DENIED);
        assertThat(CAPS.check("additional_result_filter", "x = 1").code()).isEqualTo(SettingRefusal.ACCESS_DENIED);
        assertThat(CAPS.check("format_template_row", "/etc/passwd").code()).isEqualTo(SettingRefusal.ACCESS_DENIED);
        assertThat(CAPS.check("format_template_row", "/etc/passwd").reason()).doesNotContain("/etc/passwd");
    }

    @Test
    void aFormFieldsNameIsCheckedBeforeItsValueArrives() {
        assertThat(CAPS.checkName("max_block_size")).isNull();
        assertThat(CAPS.checkName("max_memory_usage")).as("its value decides").isNull();
        assertThat(CAPS.checkName("query")).isNull();
        assertThat(CAPS.checkName("param_x")).isNull();
        assertThat(CAPS.checkName("additional_result_filter").code()).isEqualTo(SettingRefusal.ACCESS_DENIED);
        assertThat(CAPS.checkName("format_template_row").code()).isEqualTo(SettingRefusal.ACCESS_DENIED);
        assertThat(CAPS.checkName("no_such_setting").code()).isEqualTo(SettingRefusal.UNKNOWN_SETTING);
    }

    @Test
    void aRefusalNeverShowsAValueAndNamesOnlyPlainNames() {
        SettingRefusal r = CAPS.check("password=hunter2", "x");
        assertThat(r.code()).isEqualTo(SettingRefusal.UNKNOWN_SETTING);
        assertThat(r.reason()).doesNotContain("hunter2");
        assertThat(StatementPolicy.refusal("SELECT 1 SETTINGS `secret-hunter2` = 1")).doesNotContain("hunter2");
    }

    @Test
    void theDefaultCapsHoldTheIssuesValues() {
        assertThat(SettingsPolicy.DEFAULT.check("max_threads", "256")).isNotNull();
        assertThat(SettingsPolicy.DEFAULT.check("max_memory_usage", "0")).isNotNull();
        assertThat(SettingsPolicy.DEFAULT.check("max_memory_usage", "1000000000")).isNull();
        assertThat(SettingsPolicy.DEFAULT.check("max_threads", "4")).isNull();
    }
}
