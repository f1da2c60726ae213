package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.sql.ObjectReferences.Ref;
import io.chgate.sql.ObjectReferences.Use;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectReferencesTest {
    private static List<String> refs(String sql) {
        ObjectReferences.Result r = ObjectReferences.of(sql);
        assertThat(r.refusal()).as(sql).isNull();
        return r.refs().stream().map(ObjectReferencesTest::show).distinct().toList();
    }

    private static String show(Ref r) {
        return r.use() + " " + (r.isDatabase() ? "database " : "") + (r.database() == null ? "" : r.database() + ".")
                + r.name();
    }

    private static String refusal(String sql) {
        return ObjectReferences.of(sql).refusal();
    }

    @Test
    void readsInSelects() {
        assertThat(refs("SELECT * FROM alices_view")).containsExactly("READ alices_view");
        assertThat(refs("SELECT a FROM db.t AS x FINAL JOIN `other db`.\"u\" USING (a) WHERE a IN s.k"))
                .containsExactly("READ db.t", "READ other db.u", "READ s.k");
        assertThat(refs("SELECT * FROM t1, t2 x, db.t3")).containsExactly("READ t1", "READ t2", "READ db.t3");
        assertThat(refs("SELECT * FROM (SELECT * FROM inner_t) LEFT ARRAY JOIN arr"))
                .containsExactly("READ inner_t");
        // A CTE's name is reported too: a scope read wrong would let a table of that name through.
        assertThat(refs("SELECT * FROM (WITH v AS (SELECT 1) SELECT * FROM v) AS x, v"))
                .containsExactly("READ v");
        assertThat(refs("SELECT * FROM (SELECT 1) AS x, t1, numbers(2) AS n, 't2' , db.t3 WHERE a IN (1, 2) GROUP BY a, b"))
                .containsExactly("READ t1", "READ t2", "READ db.t3");
        assertThat(refs("SELECT a, (SELECT 1 FROM t), b FROM u ORDER BY a, b LIMIT 1, 2"))
                .containsExactly("READ t", "READ u");
        assertThat(refs("SELECT 1 FROM t WHERE a IN (other_table)")).containsExactly("READ t", "READ other_table");
        assertThat(refs("SELECT extract(day FROM d), substring(s FROM 2), position('a' IN s) FROM t"))
                .containsExactly("READ t");
        assertThat(refs("SELECT * FROM numbers(10)")).isEmpty();
        // A string after FROM is a table's name to ClickHouse (found by the parser oracle).
        assertThat(refs("SELECT * FROM 'alices_view' JOIN 'db.t' USING (a)"))
                .containsExactly("READ alices_view", "READ db.t");
    }

    @Test
    void objectsNamedByFunctions() {
        assertThat(refs("SELECT dictGet('alices_dict', 'name', 1)")).containsExactly("READ alices_dict");
        assertThat(refs("SELECT dictGetString('db.d', 'n', 1)")).containsExactly("READ db.d");
        assertThat(refs("SELECT dictGet(db.d, 'n', 1), joinGet(j, 'v', 1)")).containsExactly("READ db.d", "READ j");
        assertThat(refs("SELECT * FROM dictionary('alices_dict')")).containsExactly("READ alices_dict");
        assertThat(refs("SELECT * FROM loop(db, t)")).containsExactly("READ db.t", "WRITE db.t");
        assertThat(refs("SELECT * FROM mergeTreeIndex(db, t, with_marks = true)")).containsExactly("READ db.t");
        assertThat(refusal("SELECT dictGet(concat('alice', 's_dict'), 'name', 1)")).contains("not computed");
        assertThat(refusal("SELECT * FROM merge('default', '^alice')")).contains("merge()");
        assertThat(refusal("SELECT * FROM {t:Identifier}")).contains("query parameter");
    }

    @Test
    void writesAndDefinitions() {
        assertThat(refs("INSERT INTO TABLE db.t (a) SELECT a FROM src")).containsExactly("WRITE db.t", "READ src");
        assertThat(refs("INSERT INTO FUNCTION null('a UInt8') VALUES (1)")).isEmpty();
        assertThat(refs("INSERT INTO alices (a, b) VALUES (1, 2)")).containsExactly("WRITE alices");
        assertThat(refs("CREATE TABLE mine CLONE AS alices_table")).containsExactly("CREATE mine", "READ alices_table");
        assertThat(refs("SELECT dictGetKeys('alices_dict', 'a', 1)")).containsExactly("READ alices_dict");
        assertThat(refs("CREATE TABLE IF NOT EXISTS mine AS alices_table"))
                .containsExactly("CREATE mine", "READ alices_table");
        assertThat(refs("CREATE OR REPLACE VIEW v AS SELECT * FROM alices_pg_table"))
                .containsExactly("CREATE v", "READ alices_pg_table");
        assertThat(refs("CREATE MATERIALIZED VIEW mv TO db.target AS SELECT * FROM src"))
                .containsExactly("CREATE mv", "WRITE db.target", "READ src");
        assertThat(refs("CREATE TABLE b (x UInt8) ENGINE = Buffer(db, dest, 1, 1, 1, 1, 1, 1, 1)"))
                .containsExactly("CREATE b", "WRITE db.dest", "READ db.dest");
        assertThat(refs("CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(NULL()) LIFETIME(0) LAYOUT(FLAT())"))
                .containsExactly("CREATE d");
        assertThat(refs("CREATE DATABASE IF NOT EXISTS mine")).containsExactly("CREATE database mine");
        assertThat(refusal("CREATE DATABASE all_dicts ENGINE = Dictionary")).contains("Dictionary");
        assertThat(refusal("CREATE FUNCTION f AS x -> x + 1")).contains("global");
        assertThat(refusal("DROP FUNCTION f")).contains("global");
    }

    @Test
    void changes() {
        assertThat(refs("DROP TABLE IF EXISTS a, db.b")).containsExactly("DROP a", "DROP db.b");
        assertThat(refs("DROP DICTIONARY alices_dict")).containsExactly("DROP alices_dict");
        assertThat(refs("DROP DATABASE d")).containsExactly("DROP database d");
        assertThat(refs("RENAME TABLE a TO b, db.c TO db.d"))
                .containsExactly("RENAMED a", "CREATE b", "RENAMED db.c", "CREATE db.d");
        assertThat(refs("EXCHANGE TABLES mine AND alices")).containsExactly("MODIFY mine", "MODIFY alices");
        assertThat(refs("ALTER TABLE t DELETE WHERE x IN (SELECT x FROM other)"))
                .containsExactly("MODIFY t", "READ other");
        assertThat(refs("ALTER TABLE t MOVE PARTITION 1 TO TABLE db.u")).containsExactly("MODIFY t", "WRITE db.u");
        assertThat(refs("TRUNCATE TABLE IF EXISTS t")).containsExactly("MODIFY t");
        assertThat(refs("OPTIMIZE TABLE t FINAL")).containsExactly("MODIFY t");
        assertThat(refs("DETACH DICTIONARY d")).containsExactly("MODIFY d");
        assertThat(refs("DELETE FROM t WHERE 1")).containsExactly("WRITE t");
        assertThat(refs("UPDATE t SET a = 1 WHERE 1")).containsExactly("WRITE t");
    }

    @Test
    void metadata() {
        assertThat(refs("DESCRIBE TABLE t")).containsExactly("READ t");
        assertThat(refs("SHOW CREATE TABLE db.t")).containsExactly("READ db.t");
        assertThat(refs("EXISTS TABLE t")).containsExactly("READ t");
        assertThat(refs("SHOW TABLES FROM other")).containsExactly("READ database other");
        assertThat(refs("USE other")).containsExactly("ENTERED database other");
        assertThat(refs("SELECT * FROM system.processes")).containsExactly("READ system.processes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GRANT SELECT ON *.* TO x", "BEGIN TRANSACTION", "MOVE USER x TO y", "frobnicate t"})
    void statementsNotKnownAreRefused(String sql) {
        assertThat(refusal(sql)).isNotNull();
    }

    @Test
    void everyStatementOfAScriptIsRead() {
        assertThat(refs("SELECT 1 FROM a; SELECT 2 FROM b")).containsExactly("READ a", "READ b");
    }

    @Test
    void systemReloadDictionaryNamesItAndEveryOtherSystemStatementIsRefused() {
        assertThat(refs("SYSTEM RELOAD DICTIONARY geo.cities")).containsExactly("MODIFY geo.cities");
        assertThat(refs("SYSTEM RELOAD DICTIONARY ON CLUSTER c d")).containsExactly("MODIFY d");
        assertThat(refusal("SYSTEM RELOAD DICTIONARIES")).isNotNull();
        assertThat(refusal("SYSTEM SHUTDOWN")).isNotNull();
        assertThat(refusal("SYSTEM DROP DNS CACHE")).isNotNull();
    }
}
