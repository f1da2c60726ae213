package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.engine.EngineException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ClickHouse 26 engine judges the reader: where chgate reads a setting assignment, the engine assigns that setting
 * (an unknown name makes it answer UNKNOWN_SETTING naming it), and where chgate reads none, the engine assigns none.
 */
class SettingAssignmentsDifferentialTest {
    private static final String PROBE = "chgate_probe_setting";
    static EmbeddedClickHouse engine;

    @BeforeAll
    static void open() {
        engine = OracleEngine.get();
        engine.query("CREATE TABLE IF NOT EXISTS settings_probe (x Int8, settings Map(String, String))"
                + " ENGINE = MergeTree ORDER BY x", "TSV");
    }

    private static List<String> read(String sql) {
        Tokens t = Lexer.tokenize(sql);
        return SettingAssignments.of(sql, t, 0, t.size()).stream().map(SettingAssignment::name).toList();
    }

    private static Throwable run(String sql) {
        return catchThrowable(() -> engine.query(sql, "TSV"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1 SETTINGS %s = 1",
        "select 1 settings %s = 1",
        "SELECT 1 SETTINGS max_threads = 1, %s = 1",
        "SELECT 1 SETTINGS max_threads = 1 , /* c */ %s\n=\n1",
        "SELECT 1 SETTINGS `%s` = 1",
        "SELECT 1 SETTINGS \"%s\" = 1",
        "SELECT 1 SETTINGS %s",
        "SELECT 1 SETTINGS max_threads = 1, %s FORMAT TSV",
        "SELECT 1 SETTINGS %s = 'a string'",
        "SELECT 1 SETTINGS %s = -3",
        "SELECT 1 FORMAT TSV SETTINGS %s = 1",
        "SELECT 1 UNION ALL SELECT 2 SETTINGS %s = 1",
        "EXPLAIN SELECT 1 SETTINGS %s = 1",
        "SET %s = 1",
        "SET max_threads = 2, %s = 'x'",
        "INSERT INTO settings_probe SETTINGS %s = 1 VALUES (1, {})",
        "INSERT INTO settings_probe (x) SETTINGS %s = 1 SELECT 1",
        "CREATE TABLE probe_c (x Int8) ENGINE = MergeTree ORDER BY x SETTINGS %s = 1",
        "CREATE TABLE probe_c (x Int8) ENGINE = Memory SETTINGS %s = 1",
        "CREATE TABLE probe_c (x Int8 SETTINGS (%s = 1)) ENGINE = MergeTree ORDER BY x",
        "CREATE TABLE probe_c ENGINE = MergeTree ORDER BY x AS SELECT 1 AS x SETTINGS %s = 1",
        "CREATE VIEW probe_v AS SELECT 1 SETTINGS %s = 1",
        "ALTER TABLE settings_probe MODIFY SETTING %s = 1"
    })
    void whereChgateReadsAnAssignmentTheEngineAssigns(String template) {
        String sql = template.formatted(PROBE);
        assertThat(read(sql)).as(sql).contains(PROBE);
        Throwable error = run(sql);
        assertThat(error).as(sql).isInstanceOf(EngineException.class);
        assertThat(((EngineException) error).code()).as(error.getMessage()).isEqualTo(SettingRefusal.UNKNOWN_SETTING);
        assertThat(error.getMessage()).contains(PROBE);
        assertThat(StatementPolicy.refusal(sql)).as(sql).isNotNull();
    }

    /** ClickHouse does not check names in a subquery's SETTINGS, but applies them: the effect is the oracle. */
    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM (SELECT getSetting('max_block_size') SETTINGS max_block_size = 77)",
        "WITH s AS (SELECT getSetting('max_block_size') AS v SETTINGS max_block_size = 77) SELECT v FROM s",
        "SELECT * FROM view(SELECT getSetting('max_block_size') SETTINGS max_block_size = 77)",
        "SELECT * FROM (SELECT * FROM (SELECT getSetting('max_block_size') SETTINGS max_block_size = 77))"
    })
    void aSubquerysAssignmentIsReadAndTakesEffect(String sql) {
        assertThat(read(sql)).as(sql).containsExactly("max_block_size");
        assertThat(engine.queryText(sql, "TSV")).isEqualTo("77\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT settings FROM settings_probe",
        "SELECT settings['max_threads'] FROM settings_probe",
        "SELECT p.settings FROM settings_probe AS p",
        "SELECT settings, x FROM settings_probe WHERE settings['x'] = 'y'",
        "SELECT x FROM settings_probe ORDER BY settings",
        "SELECT settings x FROM settings_probe",
        "SELECT x FROM settings_probe ORDER BY settings LIMIT 1",
        "SELECT settings.x FROM (SELECT 1 AS x) AS settings",
        "SELECT name FROM system.settings WHERE name = 'chgate_probe_setting'",
        "SELECT 1 AS settings",
        "SHOW SETTINGS LIKE 'chgate_probe%'",
        "SELECT 'SETTINGS chgate_probe_setting = 1'",
        "SELECT 1 -- SETTINGS chgate_probe_setting = 1"
    })
    void whereChgateReadsNoneTheEngineAssignsNone(String sql) {
        assertThat(read(sql)).as(sql).isEmpty();
        Throwable error = run(sql);
        if (error instanceof EngineException e) {
            assertThat(e.code()).as(e.getMessage()).isNotEqualTo(SettingRefusal.UNKNOWN_SETTING);
        }
        assertThat(StatementPolicy.refusal(sql)).as(sql).isNull();
    }

    /**
     * Random spellings of the same assignments: any whitespace or comment between tokens, any quoting of the name.
     * Each variant must be read as the engine reads it.
     */
    @Test
    void randomSpellingsAreReadAsTheEngineReadsThem() {
        String[] templates = {"SELECT 1 SETTINGS max_threads = 2 , NAME = 1", "SELECT 1 SETTINGS NAME = 'x'",
            "SET NAME = 1", "SELECT 1 FORMAT TSV SETTINGS NAME = 1", "SELECT 1 SETTINGS NAME",
            "SELECT 1 UNION ALL SELECT 2 SETTINGS NAME = 1", "INSERT INTO settings_probe SETTINGS NAME = 1 SELECT 1 , map()",
            "CREATE TABLE probe_r ( x Int8 ) ENGINE = MergeTree ORDER BY x SETTINGS NAME = 1"};
        String[] names = {PROBE, "`" + PROBE + "`", "\"" + PROBE + "\"", "\u201C" + PROBE + "\u201D"};
        String[] trivia = {" ", "\n", "\t", " /* c */ ", " /* a /* nested */ b */ ", " -- c\n", " # c\n", "\u00A0",
            "\r\n "};
        java.util.Random random = new java.util.Random(21);
        for (int n = 0; n < 150; n++) {
            String template = templates[random.nextInt(templates.length)]
                    .replace("NAME", names[random.nextInt(names.length)]);
            StringBuilder sql = new StringBuilder();
            for (String part : template.split(" ")) {
                sql.append(part).append(trivia[random.nextInt(trivia.length)]);
            }
            String text = sql.toString();
            String shown = text.replace("\n", "\\n");
            assertThat(read(text)).as(shown).contains(PROBE);
            assertThat(StatementPolicy.refusal(text)).as(shown).isNotNull();
            Throwable error = run(text);
            assertThat(error).as(shown).isInstanceOf(EngineException.class);
            assertThat(((EngineException) error).code()).as(shown + error.getMessage())
                    .isEqualTo(SettingRefusal.UNKNOWN_SETTING);
        }
    }

    /** ClickHouse's setting names are case-sensitive; so are the registry's, so another case is unknown to both. */
    @Test
    void namesAreCaseSensitiveInTheEngineAndTheRegistry() {
        Throwable error = run("SELECT 1 SETTINGS MAX_THREADS = 1");
        assertThat(((EngineException) error).code()).isEqualTo(SettingRefusal.UNKNOWN_SETTING);
        assertThat(SettingsPolicy.DEFAULT.check("MAX_THREADS", "1").code()).isEqualTo(SettingRefusal.UNKNOWN_SETTING);
        assertThat(StatementPolicy.refusal("SELECT 1 SETTINGS Max_Threads = 1")).isNotNull();
        assertThat(run("SELECT 1 SETTINGS max_threads = 1")).isNull();
    }

    /** A value of a form chgate passes is one the engine takes (so the reader does not stop early on it). */
    @Test
    void valuesChgateReadsAreValuesTheEngineTakes() {
        for (String sql : List.of("SELECT 1 SETTINGS max_block_size = DEFAULT, log_comment = 'a''b', max_threads = 2",
                "SELECT 1 SETTINGS use_query_cache, max_block_size = 100", "SET TIME ZONE 'UTC'",
                "SELECT 1 SETTINGS max_block_size = {n:UInt64}".replace("{n:UInt64}", "1000"))) {
            assertThat(StatementPolicy.refusal(sql)).as(sql).isNull();
            assertThat(run(sql)).as(sql).isNull();
        }
    }
}
