package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which settings a response cache's key must hold: all but a few known to leave the answer as it is. */
class SettingsOutputTest {
    @Test
    void resourceLoggingAndFramingSettingsDoNotChangeTheAnswer() {
        for (String name : new String[] {"max_threads", "max_memory_usage", "priority", "log_queries", "log_comment",
                "query_id", "send_progress_in_http_headers", "http_headers_progress_interval_ms", "wait_end_of_query",
                "buffer_size", "connect_timeout", "enable_writes_to_query_cache"}) {
            assertThat(SettingsRegistry.changesOutput(name)).as(name).isFalse();
        }
    }

    @Test
    void everythingElseChangesItUnknownNamesIncluded() {
        for (String name : new String[] {"output_format_json_quote_64bit_integers", "date_time_output_format",
                "max_block_size", "max_execution_time", "timeout_overflow_mode", "max_result_rows",
                "result_overflow_mode", "max_rows_to_read", "use_query_cache", "enable_reads_from_query_cache",
                "query_cache_ttl", "query_cache_nondeterministic_function_handling", "session_timezone",
                "join_use_nulls", "compress", "enable_http_compression", "http_zlib_compression_level",
                "default_format", "database", "no_such_setting", "MAX_THREADS"}) {
            assertThat(SettingsRegistry.changesOutput(name)).as(name).isTrue();
        }
    }

    @Test
    void everyNeutralNameIsOneTheRegistryKnows() {
        for (String name : SettingsRegistry.OUTPUT_NEUTRAL) {
            assertThat(SettingsRegistry.querySetting(name)).as(name).isNotNull();
            assertThat(name).as("no output_format setting is neutral").doesNotStartWith("output_format");
        }
    }
}
