package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SystemTablesTest {
    @Test
    void everyTableOfTheEnginesOwnDatabasesIsClassified() {
        String reported = OracleEngine.get().queryText("SELECT name FROM system.tables WHERE database IN "
                + "('system', 'information_schema', 'INFORMATION_SCHEMA') ORDER BY name", "TSV");
        Set<String> names = Arrays.stream(reported.split("\n")).filter(s -> !s.isBlank())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(names).hasSizeGreaterThan(100);
        Set<String> unknown = new TreeSet<>(names);
        unknown.removeAll(SystemTables.classified());
        assertThat(unknown).as("system tables the engine has that SystemTables does not classify").isEmpty();
    }

    @Test
    void noTableIsBothSharedAndPrivate() {
        Set<String> both = new TreeSet<>(SystemTables.SHARED);
        both.retainAll(SystemTables.PRIVATE);
        assertThat(both).isEmpty();
    }

    @Test
    void whatShowsOtherUsersStatementsIsNotShared() {
        for (String table : new String[] {"processes", "query_log", "errors", "text_log", "query_thread_log",
                "mutations", "asynchronous_inserts", "named_collections", "users", "grants"}) {
            assertThat(SystemTables.sharedWithEveryUser(table)).as(table).isFalse();
        }
        assertThat(SystemTables.sharedWithEveryUser("PROCESSES")).isFalse();
        assertThat(SystemTables.sharedWithEveryUser("one")).isTrue();
        assertThat(SystemTables.sharedWithEveryUser("tables")).isTrue();
    }
}
