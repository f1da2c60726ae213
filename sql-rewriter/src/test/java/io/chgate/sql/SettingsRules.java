package io.chgate.sql;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The reviewed rules that classify every setting both engines report; {@code SettingsRegistryTest} writes the
 * registry files from them and fails when the committed files differ. A setting is {@code pass} unless a rule below
 * says otherwise, so every rule is a reason to refuse, each with its why.
 */
final class SettingsRules {
    private SettingsRules() {
    }

    /** Values ClickHouse runs as SQL or as an expression, or names of tables it reads implicitly. */
    static final Set<String> SQL = Set.of(
            "additional_result_filter", "additional_table_filters", "parallel_replicas_custom_key",
            "implicit_table_at_top_level", "promql_database", "promql_table");

    /** A string that may be a path, a URL or a Keeper path, by its name. */
    private static final Pattern PATH_NAME = Pattern.compile(
            "path|file|dir|schema|template|url|uri|zookeeper|keeper|registry|endpoint|disk");

    /** String settings whose names match the path words but whose values are no path. */
    private static final Set<String> NOT_PATHS = Set.of("column_names_for_schema_inference", "schema_inference_hints");

    /** Access, secrets, the SQL dialect and how it is read, other hosts, the process's own resources. */
    static final Set<String> PINNED = Set.of(
            // secrets and named collections
            "allow_named_collection_override_by_default", "format_display_secrets_in_show_and_select",
            "display_secrets_in_show_and_select", "s3_allow_server_credentials_in_user_queries",
            "ai_function_embedding_default_credentials", "ai_function_text_default_credentials",
            // access and who a view runs as
            "allow_ddl", "allow_introspection_functions", "allow_unrestricted_reads_from_keeper",
            "default_view_definer", "default_normal_view_sql_security", "default_materialized_view_sql_security",
            "ignore_empty_sql_security_in_create_view_query", "query_cache_share_between_users",
            "stream_like_engine_allow_direct_select",
            // how the statement is read: the gateway reads ClickHouse SQL as ClickHouse 26 does by default
            "allow_experimental_eval_table_function", "input_format_values_interpret_expressions",
            "input_format_values_deduce_templates_of_expressions", "max_parser_depth", "max_parser_backtracks",
            "dialect", "polyglot_dialect", "allow_experimental_kusto_dialect", "allow_experimental_prql_dialect",
            "allow_experimental_polyglot_dialect", "implicit_select", "allow_settings_after_format_in_insert",
            "compatibility",
            // other hosts: parallel replicas and ON CLUSTER run the query on the cluster's nodes with its credentials
            "enable_parallel_replicas", "allow_experimental_parallel_reading_from_replicas",
            "cluster_for_parallel_replicas", "allow_distributed_ddl",
            // code and calls outside SQL: Python table functions, AI functions with the server's API keys, and the
            // request's own headers (chgate's upstream login among them)
            "allow_python_table_function", "allow_experimental_ai_functions", "allow_get_client_http_header",
            // server-wide throttles shared by every gateway user
            "max_network_bandwidth_for_all_users", "max_remote_read_network_bandwidth_for_server",
            "max_remote_write_network_bandwidth_for_server", "max_replicated_fetches_network_bandwidth_for_server",
            "max_replicated_sends_network_bandwidth_for_server",
            // the process's own memory accounting and scheduling, shared by every gateway user
            "max_untracked_memory", "memory_profiler_step", "memory_overcommit_ratio_denominator",
            "memory_overcommit_ratio_denominator_for_user", "memory_usage_overcommit_max_wait_microseconds",
            "max_memory_usage_for_all_queries", "priority", "os_thread_priority", "os_threads_nice_value_query",
            "os_threads_nice_value_materialized_view", "workload", "function_sleep_max_microseconds_per_block");

    /** Resource limits: a client may lower them, not raise them past the cap, nor lift them (0). */
    static final Set<String> CAPPED = Set.of(
            "max_threads", "max_insert_threads", "max_final_threads", "max_parsing_threads", "max_download_threads",
            "max_alter_threads", "max_threads_for_indexes", "max_memory_usage", "max_memory_usage_for_user",
            "max_temporary_data_on_disk_size_for_query", "max_temporary_data_on_disk_size_for_user",
            "max_execution_time", "max_execution_time_leaf", "max_estimated_execution_time",
            "max_concurrent_queries_for_user", "max_concurrent_queries_for_all_users");

    /** Test hooks and fault injection, and what writes server-side files or response headers. */
    private static final Pattern REFUSED_NAME = Pattern.compile(
            "(^|_)fault(_|$)|injection|(^|_)inject(_|$)|(^|_)sleep(_|$)|^jemalloc_|unknown_packet");
    private static final Set<String> REFUSED = Set.of("http_response_headers", "profile",
            "ignore_drop_queries_probability", "enable_debug_queries", "rename_files_after_processing");

    /** Settings ClickHouse takes without listing them in {@code system.settings}. */
    static final Map<String, String> UNLISTED = Map.of(
            "profile", "SET profile = 'name' applies a settings profile of the server's");

    /** HTTP request parameters that are not settings (ClickHouse's HTTPHandler). */
    static final Set<String> HTTP = Set.of("query", "database", "default_format", "query_id", "user", "password",
            "quota_key", "session_id", "session_timeout", "session_check", "close_session", "compress", "decompress",
            "buffer_size", "wait_end_of_query", "stacktrace", "role", "enable_http_compression",
            "client_protocol_version", "http_native_compression_disable_checksumming_on_decompress");

    /** Table settings refused: disks and storage policies reach disks of any kind; workloads are the server's. */
    private static final Set<String> TABLE_REFUSED = Set.of("disk", "storage_policy", "table_disk",
            "remote_fs_zero_copy_zookeeper_path", "search_orphaned_parts_disks");
    private static final Set<String> TABLE_PINNED = Set.of("merge_workload", "mutation_workload");

    /** Local engines' own table settings (Memory, Join, Set, EmbeddedRocksDB), which no system table lists. */
    static final Set<String> OTHER_TABLE_SETTINGS = Set.of("min_bytes_to_keep", "max_bytes_to_keep",
            "min_rows_to_keep", "max_rows_to_keep", "compress", "persistent", "optimize_for_bulk_insert",
            "bulk_insert_block_size");

    /** Engines' own table settings that name a file: the Kafka engine's format schema. */
    static final Set<String> OTHER_TABLE_PATHS = Set.of("kafka_schema");

    /** A query setting's class; {@code type} is ClickHouse 26's type name, empty for a name only 18.16 has. */
    static SettingClass querySetting(String name, String type) {
        if (SQL.contains(name)) {
            return SettingClass.SQL;
        }
        if (isStringy(type) && PATH_NAME.matcher(name).find() && !NOT_PATHS.contains(name)) {
            return SettingClass.PATH;
        }
        if (PINNED.contains(name)) {
            return SettingClass.PINNED;
        }
        if (REFUSED.contains(name) || REFUSED_NAME.matcher(name).find()) {
            return SettingClass.REFUSED;
        }
        if (CAPPED.contains(name)) {
            return SettingClass.CAPPED;
        }
        return SettingClass.PASS;
    }

    /** A MergeTree table setting's class. */
    static SettingClass tableSetting(String name, String type) {
        if (TABLE_REFUSED.contains(name) || isStringy(type) && PATH_NAME.matcher(name).find()) {
            return SettingClass.PATH;
        }
        if (TABLE_PINNED.contains(name)) {
            return SettingClass.PINNED;
        }
        if (REFUSED_NAME.matcher(name).find()) {
            return SettingClass.REFUSED;
        }
        return SettingClass.PASS;
    }

    /** A value that can hold free text: String, Map, URI, or unknown (a name only 18.16 lists, without types). */
    private static boolean isStringy(String type) {
        return type.isEmpty() || type.equals("String") || type.equals("Map") || type.equals("URI")
                || type.startsWith("Nullable");
    }
}
