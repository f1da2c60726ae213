package io.chgate.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.error.ClickHouseError;
import org.junit.jupiter.api.Test;

class EngineStatementsTest {
    @Test
    void refusalsCarryClickHousesCodesAndTexts() {
        assertThat(EngineStatements.refusal("SELECT 1", false, false)).isNull();
        ClickHouseError multi = EngineStatements.refusal("SELECT 1; SELECT 2", false, false);
        assertThat(multi.body()).isEqualTo("Code: 62. DB::Exception: Syntax error (Multi-statements are not allowed):"
                + " failed at position 9. (SYNTAX_ERROR)\n");
        assertThat(EngineStatements.refusal("SELECT 1;", false, false)).isNull();
        assertThat(EngineStatements.refusal("SELECT 'unterminated", false, false).code().number()).isEqualTo(62);
        ClickHouseError temporary = EngineStatements.refusal("CREATE TEMPORARY TABLE t (x UInt8)", false, false);
        assertThat(temporary.body()).isEqualTo("Code: 48. DB::Exception: temporary tables live in a session: send a"
                + " session_id. (NOT_IMPLEMENTED)\n");
        assertThat(EngineStatements.refusal("CREATE TEMPORARY TABLE t (x UInt8)", true, false)).isNull();
    }

    @Test
    void theSecondWallStandsForAllButTheAdmin() {
        String attack = "CREATE NAMED COLLECTION redirected AS host = '127.0.0.9'";
        ClickHouseError refused = EngineStatements.refusal(attack, false, false);
        assertThat(refused.code().number()).isEqualTo(497);
        assertThat(refused.status().code()).isEqualTo(403);
        assertThat(EngineStatements.refusal(attack, false, true)).isNull();
    }

    @Test
    void sessionStateAndTheDatabaseAUseMakesCurrent() {
        assertThat(EngineStatements.isSessionState("SET max_threads = 1")).isTrue();
        assertThat(EngineStatements.isSessionState("use db")).isTrue();
        assertThat(EngineStatements.isSessionState("SELECT 1")).isFalse();
        assertThat(EngineStatements.usedDatabase("USE `my db`")).isEqualTo("my db");
        assertThat(EngineStatements.usedDatabase("USE plain")).isEqualTo("plain");
        assertThat(EngineStatements.usedDatabase("SELECT 1")).isNull();
    }

    @Test
    void theFormatInEffectIsTheStatementsOwnOutsideParentheses() {
        assertThat(EngineStatements.formatInEffect("SELECT 1 FORMAT JSON", "TSV")).isEqualTo("JSON");
        assertThat(EngineStatements.formatInEffect("SELECT * FROM (SELECT 1 FORMAT CSV)", "TSV")).isEqualTo("TSV");
        assertThat(EngineStatements.formatInEffect("INSERT INTO t FORMAT CSV", "TSV")).isEqualTo("TSV");
        assertThat(EngineStatements.formatInEffect("SELECT 1", "Native")).isEqualTo("Native");
    }
}
