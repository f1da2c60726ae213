package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementsTest {
    @Test
    void splitsAtTopLevelSemicolonsOnly() {
        assertThat(Statements.split("""
                -- a script
                SELECT ';' AS s; /* ; */ SELECT 2 -- ;
                ;
                ;
                INSERT INTO t VALUES (';')
                -- trailing comment only
                """)).containsExactly("-- a script\nSELECT ';' AS s;", "/* ; */ SELECT 2 -- ;\n;",
                "INSERT INTO t VALUES (';')\n-- trailing comment only");
    }

    @Test
    void readOnlyIsJudgedByTheFirstWordPastCommentsAndParentheses() {
        assertThat(Statements.isReadOnly("/* x */ (SELECT 1)")).isTrue();
        assertThat(Statements.isReadOnly("WITH 1 AS a SELECT a")).isTrue();
        assertThat(Statements.isReadOnly("show tables")).isTrue();
        assertThat(Statements.isReadOnly("DESC t")).isTrue();
        assertThat(Statements.isReadOnly("EXPLAIN SELECT 1")).isTrue();
        assertThat(Statements.isReadOnly("EXISTS TABLE t")).isTrue();
        assertThat(Statements.isReadOnly("INSERT INTO t SELECT 1")).isFalse();
        assertThat(Statements.isReadOnly("OPTIMIZE TABLE t")).isFalse();
        assertThat(Statements.isReadOnly("'select'")).isFalse();
        assertThat(Statements.isReadOnly("SELECT 'unterminated")).isFalse();
        assertThat(Statements.isReadOnly("")).isFalse();
    }
}
