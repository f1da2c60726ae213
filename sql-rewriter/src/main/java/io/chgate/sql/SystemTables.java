package io.chgate.sql;

import java.util.Set;

/**
 * The engine's own tables ({@code system.*}, {@code information_schema.*}), classified for gateway users who share
 * one engine: a table is readable by every user when it shows no user's statements, errors, logs or data — the
 * catalog (names and definitions of objects, which BI tools browse) and the engine's fixed reference lists. Every
 * other one, and any name not listed (a new ClickHouse version's), is not readable through the gateway.
 * {@code SystemTablesTest} fails when the engine reports a system table this class does not classify.
 */
public final class SystemTables {
    private SystemTables() {
    }

    /** Databases that are the engine's own. */
    public static boolean isSystemDatabase(String database) {
        return "system".equals(database) || "information_schema".equals(database)
                || "INFORMATION_SCHEMA".equals(database);
    }

    /** Whether every gateway user may read this {@code system} (or {@code information_schema}) table. */
    public static boolean sharedWithEveryUser(String table) {
        return SHARED.contains(table);
    }

    /** Every name classified, shared or not: what the registry test compares with the engine's list. */
    static Set<String> classified() {
        java.util.Set<String> all = new java.util.TreeSet<>(SHARED);
        all.addAll(PRIVATE);
        return all;
    }

    /** The catalog (object names and definitions: what BI tools browse) and the engine's fixed reference lists. */
    static final Set<String> SHARED = Set.of(
            "CHARACTER_SETS", "COLLATIONS", "COLUMNS", "ENGINES", "KEY_COLUMN_USAGE", "REFERENTIAL_CONSTRAINTS",
            "SCHEMATA", "STATISTICS", "TABLES", "VIEWS", "aggregate_function_combinators", "build_options",
            "character_sets", "codecs", "collations", "columns", "completions", "constraints", "contributors",
            "current_roles", "dashboards", "data_skipping_index_types", "data_skipping_indices",
            "data_type_families", "database_engines", "databases", "dictionary_layouts", "dictionary_sources",
            "disk_types", "documentation", "enabled_roles", "engines", "formats", "functions", "key_column_usage",
            "keywords", "licenses", "merge_tree_settings", "numbers", "numbers_mt", "one", "primes", "privileges",
            "projections", "referential_constraints", "replicated_merge_tree_settings", "schemata", "settings",
            "settings_changes", "statistics", "table_engines", "table_functions", "tables", "time_zones",
            "tokenizers", "unicode", "views", "zeros", "zeros_mt");

    /**
     * Statements, errors, logs, storage internals (part and partition values are data), access entities, the
     * server's configuration: what one user of a shared engine must not see of another's.
     */
    static final Set<String> PRIVATE = Set.of(
            "asynchronous_insert_log", "asynchronous_inserts", "asynchronous_loader", "asynchronous_metric_log",
            "asynchronous_metrics", "azure_queue_metadata_cache", "azure_queue_settings", "background_schedule_pool",
            "backup_log", "backups", "blob_storage_log", "certificates", "clusters", "crash_log",
            "database_replicas", "detached_parts", "detached_tables", "dictionaries", "dimensional_metrics", "disks",
            "distributed_ddl_queue", "distribution_queue", "dns_cache", "dropped_tables", "dropped_tables_parts",
            "error_log", "errors", "events", "fail_points", "filesystem_cache", "filesystem_cache_log",
            "filesystem_cache_settings", "grants", "graphite_retentions", "histogram_metrics",
            "hypothetical_indexes", "iceberg_files", "iceberg_history", "jemalloc_bins", "jemalloc_profile_text",
            "jemalloc_stats", "kafka_consumers", "latency_log", "macros", "masking_policies", "merges", "metric_log",
            "metrics", "models", "moves", "mutations", "named_collections", "opentelemetry_span_log", "part_log",
            "part_moves_between_shards", "parts", "parts_columns", "processes", "processors_profile_log",
            "projection_parts", "projection_parts_columns", "query_cache", "query_condition_cache", "query_log",
            "query_metric_log", "query_thread_log", "query_views_log", "quota_limits", "quota_usage", "quotas",
            "quotas_usage", "remote_data_paths", "replicas", "replicated_fetches", "replication_queue", "resources",
            "rocksdb", "role_grants", "roles", "row_policies", "s3_queue_settings", "s3queue_log",
            "s3queue_metadata_cache", "scheduler", "schema_inference_cache", "server_settings", "session_log",
            "settings_profile_elements", "settings_profiles", "stack_trace", "storage_policies", "symbols",
            "text_log", "trace_log", "transactions_info_log", "user_defined_functions", "user_directories",
            "user_processes", "users", "view_refreshes", "warnings", "workloads", "zookeeper",
            "zookeeper_connection", "zookeeper_log");
}
