package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StatementPolicyTest {

    static List<String> refused() {
        return List.of(
                "ALTER NAMED COLLECTION shop_pg SET addresses_expr = '127.0.0.1:1'",
                "alter named collection `shop_pg` set host = 'x'",
                "CREATE NAMED COLLECTION mine AS host = 'x', password = 'p'",
                "DROP NAMED COLLECTION shop_pg",
                "SHOW NAMED COLLECTIONS",
                "SELECT 1; DROP NAMED COLLECTION shop_pg",
                "ALTER /* hidden */ NAMED\n\tCOLLECTION shop_pg SET port = 1",
                "SYSTEM SHUTDOWN",
                "system kill",
                "(SYSTEM RELOAD CONFIG)",
                "KILL QUERY WHERE user = 'someone'",
                "KILL QUERY WHERE 1",
                "KILL MUTATION WHERE 1",
                "BACKUP TABLE t TO S3('http://127.0.0.1:1/b', 'k', 's')",
                "RESTORE TABLE t FROM Disk('backups', 'x')",
                "GRANT ALL ON *.* TO me",
                "REVOKE SELECT ON t FROM me",
                "CREATE USER eve IDENTIFIED WITH no_password",
                "CREATE OR REPLACE ROLE r",
                "ALTER USER default IDENTIFIED WITH no_password",
                "DROP ROW POLICY p ON t",
                "CREATE SETTINGS PROFILE p SETTINGS readonly = 0",
                "CREATE QUOTA q",
                "SET DEFAULT ROLE ALL TO me",
                "SELECT * FROM t INTO OUTFILE '/tmp/x'",
                "INSERT INTO t FROM INFILE '/etc/passwd' FORMAT LineAsString",
                "ATTACH TABLE t FROM '/var/lib/x' (id UInt8) ENGINE = Memory",
                "SET allow_named_collection_override_by_default = 1",
                "SELECT * FROM postgresql(shop_pg, table = 'o') SETTINGS allow_named_collection_override_by_default = 1",
                "SELECT 1 SETTINGS `allow_experimental_eval_table_function` = 1",
                "SET input_format_values_interpret_expressions = 1",
                "SET Input_Format_Values_Deduce_Templates_Of_Expressions=1",
                "SELECT 1 SETTINGS format_display_secrets_in_show_and_select = 1",
                "SET max_parser_depth = 100000");
    }

    static List<String> allowed() {
        return List.of(
                "SELECT 1",
                "SELECT name, engine FROM system.tables WHERE database = currentDatabase()",
                "SELECT user, role, quota, profile, policy, named, collection, system FROM events",
                "SELECT `default` FROM t",
                "KILL QUERY WHERE query_id = 'a1b2'",
                "KILL QUERY WHERE query_id = 'a1b2' SYNC",
                "SELECT 'SYSTEM SHUTDOWN', 'ALTER NAMED COLLECTION x'",
                "SELECT 1 -- SYSTEM SHUTDOWN",
                "CREATE TABLE users (user String, role String) ENGINE = MergeTree ORDER BY user",
                "DROP TABLE IF EXISTS user_events",
                "ALTER TABLE t ADD COLUMN profile String DEFAULT ''",
                "SET max_threads = 4",
                "SET ROLE analyst",
                "ATTACH TABLE t",
                "INSERT INTO t VALUES ('into outfile')",
                "SELECT count() FROM t SETTINGS max_execution_time = 10");
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refuses(String sql) {
        assertThat(StatementPolicy.mightRefuse(sql)).isTrue();
        assertThat(StatementPolicy.refusal(sql)).isNotNull().startsWith("chgate: ");
    }

    @ParameterizedTest
    @MethodSource("allowed")
    void allows(String sql) {
        assertThat(StatementPolicy.refusal(sql)).isNull();
    }

    @ParameterizedTest
    @MethodSource("io.chgate.sql.StatementPolicyTest#refused")
    void neverQuotesTheStatement(String sql) {
        assertThat(StatementPolicy.refusal(sql)).doesNotContain("'");
    }
}
