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
import java.util.Set;

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

    /**
     * Whether a setting or HTTP parameter may change a statement's answer — its bytes, or whether it succeeds with a
     * partial answer — and so belongs in a response cache's key: true for every name but the few below, unknown
     * names included.
     */
    public static boolean changesOutput(String name) {
        return !OUTPUT_NEUTRAL.contains(name);
    }

    /**
     * Settings and HTTP parameters that leave the answer as it is: the statement either fails or gives the same
     * bytes. Limits with an overflow mode that can silently cut the answer ({@code max_execution_time},
     * {@code max_result_rows}, {@code max_rows_to_read}, ... with {@code *_overflow_mode = 'break'}) are not among
     * them, nor is {@code max_block_size} (block boundaries show in Pretty formats), nor anything that reads the
     * server's own query cache ({@code use_query_cache}, {@code enable_reads_from_query_cache}: it may answer from
     * before a write chgate saw).
     */
    static final Set<String> OUTPUT_NEUTRAL = Set.of(
            // parallelism: rows in an order no ORDER BY fixes, as on any run
            "max_threads", "max_final_threads", "max_download_threads",
            // memory limits have no overflow mode: the answer is whole or an error; spilling to disk changes nothing
            "max_memory_usage", "max_memory_usage_for_user", "max_bytes_before_external_group_by",
            "max_bytes_before_external_sort", "max_bytes_ratio_before_external_group_by",
            "max_bytes_ratio_before_external_sort",
            // scheduling and throttling
            "priority", "os_thread_priority", "queue_max_wait_ms", "lock_acquire_timeout", "max_network_bandwidth",
            // what the server logs, traces and profiles about the statement
            "log_queries", "log_query_threads", "log_comment", "log_profile_events", "log_query_views",
            "log_queries_min_type", "log_queries_min_query_duration_ms", "log_processors_profiles",
            "log_formatted_queries", "log_query_settings", "log_queries_cut_to_length",
            "opentelemetry_start_trace_probability", "query_profiler_real_time_period_ns",
            "query_profiler_cpu_time_period_ns", "query_id",
            // HTTP framing: progress headers and buffering, not the body's bytes
            "send_progress_in_http_headers", "http_headers_progress_interval_ms", "wait_end_of_query", "buffer_size",
            "http_response_buffer_size", "cancel_http_readonly_queries_on_client_close",
            // network timeouts: an error or the same answer
            "connect_timeout", "receive_timeout", "send_timeout", "connect_timeout_with_failover_ms",
            "http_connection_timeout", "http_send_timeout", "http_receive_timeout", "tcp_keep_alive_timeout",
            // what the server stores in its own query cache (not what it reads from it)
            "enable_writes_to_query_cache", "query_cache_min_query_runs", "query_cache_min_query_duration",
            "query_cache_compress_entries");

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
