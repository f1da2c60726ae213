package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.testkit.LocalStack;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, rows 1, 2 and 7 (settings), against the real OpenBao token file of the local stack: each attack is first
 * shown to work on the ClickHouse 26 engine (so the test fails if it stops being an attack), then shown refused by the
 * policy, in SQL and as a request parameter, with nothing of the secret in the refusal. Assertions compare booleans
 * only, so a failure never prints the secret.
 */
class SettingsAttackTest {
    static EmbeddedClickHouse engine;
    static Path secretFile;
    static String secret;

    @BeforeAll
    static void open() throws Exception {
        LocalStack.get();
        engine = OracleEngine.get();
        secretFile = LocalStack.stateDir().resolve("secrets/openbao_root_token");
        assertThat(Files.isReadable(secretFile)).as("the stack's OpenBao token file; run dev/stack up").isTrue();
        secret = Files.readString(secretFile).strip();
        assertThat(secret.length()).as("the token file holds a token").isGreaterThan(8);
    }

    private static String fileRead() {
        return "(SELECT toUInt64(any(line)) FROM file(" + SqlText.quoteString(secretFile.toString())
                + ", 'LineAsString'))";
    }

    /** What the engine answers (result or error text) to a statement with these request settings. */
    private static String engineAnswer(String sql, String format, Map<String, String> settings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Throwable error = catchThrowable(() -> engine.execute(new EmbeddedClickHouse.Request(
                sql.getBytes(StandardCharsets.UTF_8), format, null, settings, Map.of()).streamed(false), chunk -> {
                    out.writeBytes(chunk);
                    return true;
                }));
        return error != null ? String.valueOf(error.getMessage()) : out.toString(StandardCharsets.UTF_8);
    }

    private static void refusedWithoutTheSecret(String sql) {
        String refusal = StatementPolicy.refusal(sql);
        assertThat(refusal != null).as("refused: " + sql.replace(secretFile.toString(), "<token file>")).isTrue();
        assertThat(refusal.contains(secret) || refusal.contains(secretFile.toString())).as("secret in refusal")
                .isFalse();
        assertThat(StatementPolicy.mightRefuse(sql)).isTrue();
    }

    @Test
    void row1AResultFilterReadsTheTokenFileAndIsRefused() {
        String filter = "x = " + fileRead();
        String sql = "SELECT 1 AS x SETTINGS additional_result_filter = " + SqlText.quoteString(filter);
        assertThat(engineAnswer(sql, "TSV", Map.of()).contains(secret)).as("the attack works on the engine").isTrue();
        refusedWithoutTheSecret(sql);
        refusedWithoutTheSecret(sql.replace("additional_result_filter", "`additional_result_filter`"));
        refusedWithoutTheSecret(sql.replace("additional_result_filter", "\"additional_result_filter\""));
        refusedWithoutTheSecret(sql.replace("SETTINGS", "FORMAT TSV SETTINGS max_threads = 1,"));
        refusedWithoutTheSecret("SET additional_result_filter = " + SqlText.quoteString(filter));
        refusedWithoutTheSecret("CREATE TABLE t (x UInt64) ENGINE = MergeTree ORDER BY x SETTINGS"
                + " additional_result_filter = " + SqlText.quoteString(filter));

        // as a URL parameter, a form field or a header turned into a setting
        assertThat(engineAnswer("SELECT 1 AS x", "TSV", Map.of("additional_result_filter", filter))
                .contains(secret)).as("the attack works as a request setting").isTrue();
        SettingRefusal r = SettingsPolicy.DEFAULT.check("additional_result_filter", filter);
        assertThat(r != null && r.code() == SettingRefusal.ACCESS_DENIED && !r.reason().contains(secret)
                && !r.reason().contains(secretFile.toString())).as("refused as a parameter").isTrue();
    }

    @Test
    void row1ATableFilterReadsTheTokenFileAndIsRefused() {
        String filters = "{'system.one': " + SqlText.quoteString("dummy = " + fileRead()) + "}";
        String sql = "SELECT * FROM system.one SETTINGS additional_table_filters = " + filters;
        assertThat(engineAnswer(sql, "TSV", Map.of()).contains(secret)).as("the attack works on the engine").isTrue();
        refusedWithoutTheSecret(sql);
        refusedWithoutTheSecret("INSERT INTO t SETTINGS additional_table_filters = " + filters + " SELECT 1");
        assertThat(SettingsPolicy.DEFAULT.check("additional_table_filters", filters)).isNotNull();
    }

    @Test
    void row2ATemplateFormatPrintsTheTokenFileAndIsRefused() {
        String path = SqlText.quoteString(secretFile.toString());
        String sql = "SELECT 1 FORMAT Template SETTINGS format_template_row = " + path;
        assertThat(engineAnswer(sql, "TSV", Map.of()).contains(secret.substring(0, 8)))
                .as("the attack works on the engine").isTrue();
        refusedWithoutTheSecret(sql);
        refusedWithoutTheSecret("SELECT 1 FORMAT Template SETTINGS format_template_resultset = " + path);
        refusedWithoutTheSecret("SELECT 1 FORMAT Template SETTINGS `format_template_row` = $$" + secretFile + "$$");

        // ?format_template_row=<path>&default_format=Template
        assertThat(engineAnswer("SELECT 1", "Template", Map.of("format_template_row", secretFile.toString()))
                .contains(secret.substring(0, 8))).as("the attack works as a request setting").isTrue();
        SettingRefusal r = SettingsPolicy.DEFAULT.check("format_template_row", secretFile.toString());
        assertThat(r != null && !r.reason().contains(secretFile.toString())).as("refused as a parameter").isTrue();
        assertThat(SettingsPolicy.DEFAULT.check("format_schema", secretFile + ":Message")).isNotNull();
    }

    @Test
    void row7UnlimitedMemoryAndManyThreadsAreRefused() {
        assertThat(engineAnswer("SELECT getSetting('max_memory_usage'), getSetting('max_threads')", "TSV",
                Map.of("max_memory_usage", "0", "max_threads", "256"))).as("the engine takes them")
                .isEqualTo("0\t256\n");
        for (String sql : new String[] {"SELECT 1 SETTINGS max_memory_usage = 0", "SET max_memory_usage = 0",
            "SELECT 1 SETTINGS max_threads = 256", "SET max_threads = 256",
            "SELECT 1 SETTINGS max_memory_usage = 1e15", "SELECT 1 SETTINGS max_memory_usage_for_user = 0"}) {
            assertThat(StatementPolicy.refusal(sql)).as(sql).isNotNull();
        }
        assertThat(SettingsPolicy.DEFAULT.check("max_memory_usage", "0").code())
                .isEqualTo(SettingRefusal.SETTING_CONSTRAINT_VIOLATION);
        assertThat(SettingsPolicy.DEFAULT.check("max_threads", "256").code())
                .isEqualTo(SettingRefusal.SETTING_CONSTRAINT_VIOLATION);
        assertThat(SettingsPolicy.withCaps(Map.of("max_memory_usage", 1L << 20)).check("max_memory_usage",
                String.valueOf(2L << 20))).isNotNull();
    }
}
