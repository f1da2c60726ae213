package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The settings registry knows every setting the ClickHouse 26.7 engine and the 18.16 server report, and its files are
 * exactly what {@link SettingsRules} make of them. Run with {@code -Dchgate.settings.generate=true} to rewrite the
 * files after a rule changes or an engine gains settings; review the diff.
 */
class SettingsRegistryTest {
    private static final Path RESOURCES = LocalStack.repoRoot()
            .resolve("sql-rewriter/src/main/resources/io/chgate/sql");

    static EmbeddedClickHouse engine;
    static LocalStack stack;
    /** name -> {type, alias_for} from the 26 engine; names only 18.16 has get an empty type. */
    static Map<String, String[]> querySettings;
    static Map<String, String[]> tableSettings;

    @BeforeAll
    static void read() throws Exception {
        stack = LocalStack.get();
        engine = OracleEngine.get();
        querySettings = engineSettings("SELECT name, type, alias_for FROM system.settings");
        tableSettings = engineSettings("SELECT name, type, '' FROM system.merge_tree_settings");
        for (String name : serverNames("SELECT name FROM system.settings")) {
            querySettings.putIfAbsent(name, new String[] {"", ""});
        }
        for (String name : serverNames("SELECT name FROM system.merge_tree_settings")) {
            tableSettings.putIfAbsent(name, new String[] {"", ""});
        }
    }

    private static Map<String, String[]> engineSettings(String sql) {
        Map<String, String[]> settings = new TreeMap<>();
        for (String line : engine.queryText(sql, "TSV").split("\n")) {
            if (!line.isEmpty()) {
                String[] cols = line.split("\t", -1);
                settings.put(cols[0], new String[] {cols[1], cols[2]});
            }
        }
        return settings;
    }

    private static Set<String> serverNames(String sql) throws Exception {
        HttpResponse<String> r;
        try {
            r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.clickhouseHttpUrl() + "/"))
                    .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("the ClickHouse 18.16 server at " + stack.clickhouseHttpUrl()
                    + " does not answer; run dev/stack up", e);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Set<String> names = new TreeSet<>();
        for (String line : r.body().split("\n")) {
            if (!line.isEmpty()) {
                names.add(line);
            }
        }
        return names;
    }

    @Test
    void everyQuerySettingBothEnginesReportIsClassified() {
        assertThat(querySettings).hasSizeGreaterThan(1700);
        Set<String> unknown = new TreeSet<>(querySettings.keySet());
        unknown.removeAll(SettingsRegistry.querySettings().keySet());
        assertThat(unknown).as("settings the registry does not know; rerun with -Dchgate.settings.generate=true and"
                + " review the classes").isEmpty();
        for (String name : querySettings.keySet()) {
            assertThat(SettingsRegistry.querySetting(name)).as(name).isNotEqualTo(SettingClass.HTTP);
        }
    }

    @Test
    void everyMergeTreeSettingBothEnginesReportIsClassified() {
        assertThat(tableSettings).hasSizeGreaterThan(300);
        Set<String> unknown = new TreeSet<>(tableSettings.keySet());
        unknown.removeAll(SettingsRegistry.tableSettings().keySet());
        assertThat(unknown).as("table settings the registry does not know").isEmpty();
    }

    @Test
    void theCommittedFilesAreWhatTheRulesMakeOfBothEngines() throws IOException {
        String settings = render(classifyQuerySettings(), "Query settings of ClickHouse 26.7 and 18.16"
                + " (system.settings) and the HTTP parameters that are not settings.");
        String table = render(classifyTableSettings(), "Table settings: system.merge_tree_settings of ClickHouse"
                + " 26.7 and 18.16, and a few local engines' own.");
        if (Boolean.getBoolean("chgate.settings.generate")) {
            Files.writeString(RESOURCES.resolve("settings.tsv"), settings, StandardCharsets.UTF_8);
            Files.writeString(RESOURCES.resolve("table-settings.tsv"), table, StandardCharsets.UTF_8);
            return;
        }
        assertThat(Files.readString(RESOURCES.resolve("settings.tsv"))).as("settings.tsv; regenerate with"
                + " -Dchgate.settings.generate=true").isEqualTo(settings);
        assertThat(Files.readString(RESOURCES.resolve("table-settings.tsv"))).as("table-settings.tsv")
                .isEqualTo(table);
    }

    @Test
    void theIssuesSettingsAreClassified() {
        assertThat(SettingsRegistry.querySetting("additional_result_filter")).isEqualTo(SettingClass.SQL);
        assertThat(SettingsRegistry.querySetting("additional_table_filters")).isEqualTo(SettingClass.SQL);
        assertThat(SettingsRegistry.querySetting("format_template_row")).isEqualTo(SettingClass.PATH);
        assertThat(SettingsRegistry.querySetting("format_template_resultset")).isEqualTo(SettingClass.PATH);
        assertThat(SettingsRegistry.querySetting("format_schema")).isEqualTo(SettingClass.PATH);
        assertThat(SettingsRegistry.querySetting("max_memory_usage")).isEqualTo(SettingClass.CAPPED);
        assertThat(SettingsRegistry.querySetting("max_threads")).isEqualTo(SettingClass.CAPPED);
        assertThat(SettingsRegistry.querySetting("dialect")).isEqualTo(SettingClass.PINNED);
        assertThat(SettingsRegistry.querySetting("query")).isEqualTo(SettingClass.HTTP);
        assertThat(SettingsRegistry.tableSetting("disk")).isEqualTo(SettingClass.PATH);
        assertThat(SettingsRegistry.tableSetting("index_granularity")).isEqualTo(SettingClass.PASS);
    }

    static Map<String, SettingClass> classifyQuerySettings() {
        Map<String, SettingClass> classes = new TreeMap<>();
        querySettings.forEach((name, typeAndAlias) -> {
            SettingClass own = SettingsRules.querySetting(name, typeAndAlias[0]);
            String alias = typeAndAlias[1];
            SettingClass target = alias.isEmpty() ? own : SettingsRules.querySetting(alias, typeAndAlias[0]);
            classes.put(name, own.ordinal() >= target.ordinal() ? own : target);
        });
        SettingsRules.UNLISTED.keySet().forEach(name -> classes.putIfAbsent(name, SettingClass.REFUSED));
        SettingsRules.HTTP.forEach(name -> classes.putIfAbsent(name, SettingClass.HTTP));
        return classes;
    }

    static Map<String, SettingClass> classifyTableSettings() {
        Map<String, SettingClass> classes = new TreeMap<>();
        tableSettings.forEach((name, type) -> classes.put(name, SettingsRules.tableSetting(name, type[0])));
        SettingsRules.OTHER_TABLE_SETTINGS.forEach(name -> classes.putIfAbsent(name, SettingClass.PASS));
        SettingsRules.OTHER_TABLE_PATHS.forEach(name -> classes.putIfAbsent(name, SettingClass.PATH));
        return classes;
    }

    private static String render(Map<String, SettingClass> classes, String what) {
        StringBuilder sb = new StringBuilder("# ").append(what).append('\n')
                .append("# Written by SettingsRegistryTest from both engines and SettingsRules; do not edit by hand.\n")
                .append("# name<TAB>class (pass, capped, pinned, refused, sql, path, http)\n");
        classes.forEach((name, c) -> sb.append(name).append('\t').append(c.tag()).append('\n'));
        return sb.toString();
    }

    @Test
    void theCountsPerClassAreShown() {
        Map<SettingClass, Integer> counts = new TreeMap<>();
        SettingsRegistry.querySettings().values().forEach(c -> counts.merge(c, 1, Integer::sum));
        Map<SettingClass, Integer> table = new TreeMap<>();
        SettingsRegistry.tableSettings().values().forEach(c -> table.merge(c, 1, Integer::sum));
        System.out.println("settings registry: query " + counts + ", table " + table);
        if (counts.getOrDefault(SettingClass.PASS, 0) < 1000) {
            fail("fewer than 1000 passing settings: " + counts);
        }
    }
}
