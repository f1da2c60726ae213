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
}
