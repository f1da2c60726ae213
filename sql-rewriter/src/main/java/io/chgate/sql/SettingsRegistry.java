package io.chgate.sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Every setting ClickHouse 26.7 and 18.16 report, classified once, and every HTTP request parameter that is not a
 * setting: {@code settings.tsv} holds the query settings ({@code system.settings}, format settings included) and the
 * HTTP parameters, {@code table-settings.tsv} what a table's {@code SETTINGS} may hold besides them
 * ({@code system.merge_tree_settings} and a few local engines' own). Both files are written by
 * {@code SettingsRegistryTest} from both engines and the reviewed rules in {@code SettingsRules}; that test fails when
 * either engine reports a name they do not hold.
 *
 * <p>A name not listed is not a setting: default deny. Names are case-sensitive, as ClickHouse's are.
 */
public final class SettingsRegistry {
    private static final Map<String, SettingClass> QUERY = load("settings.tsv");
    private static final Map<String, SettingClass> TABLE = load("table-settings.tsv");

    private SettingsRegistry() {
    }

    /** The class of a query setting or HTTP parameter, or null when ClickHouse has no such name. */
    public static SettingClass querySetting(String name) {
        return QUERY.get(name);
    }

    /** The class of a table-level setting (MergeTree's, a local engine's), or null when there is none so named. */
    public static SettingClass tableSetting(String name) {
        return TABLE.get(name);
    }

    /** Every query setting and HTTP parameter, with its class. */
    public static Map<String, SettingClass> querySettings() {
        return QUERY;
    }

    /** Every table-level setting, with its class. */
    public static Map<String, SettingClass> tableSettings() {
        return TABLE;
    }

    private static Map<String, SettingClass> load(String resource) {
        Map<String, SettingClass> classes = new HashMap<>();
        try (InputStream in = SettingsRegistry.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the settings registry " + resource + " is missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                classes.put(line.substring(0, tab), SettingClass.ofTag(line.substring(tab + 1).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(classes);
    }
}
