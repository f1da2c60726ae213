import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A BI tool's session through chgate with ClickHouse's Java client-v2 (Metabase, DBeaver, DataGrip), step by step.
 * Run as a single-file program. Environment: CH_HOST, CH_PORT, CH_USER, CH_PASSWORD (a gateway user), PG_ADDRESS,
 * TABLE. Prints one line per step; exits non-zero at the first that fails.
 */
public class BiSession {
    interface Step {
        void run() throws Exception;
    }

    static void step(String name, Step body) {
        try {
            body.run();
            System.out.println("ok " + name);
        } catch (Throwable e) {
            System.out.println("FAILED " + name + ": " + e);
            System.exit(1);
        }
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        String table = env.get("TABLE");
        int n = 200_000;
        try (Client client = new Client.Builder().addEndpoint("http://" + env.get("CH_HOST") + ":" + env.get("CH_PORT"))
                .setUsername(env.get("CH_USER")).setPassword(env.get("CH_PASSWORD")).build()) {
            step("connect", () -> check(client.ping(), "ping"));
            step("list databases, tables and columns", () -> {
                List<GenericRecord> dbs = client.queryAll("SHOW DATABASES");
                check(dbs.stream().anyMatch(r -> r.getString(1).equals("default")), "no default database");
                client.queryAll("SELECT name, engine FROM system.tables WHERE database = currentDatabase()");
                client.queryAll("SELECT name, type FROM system.columns WHERE database = 'system' AND table = 'one'");
            });
            step("create a MergeTree table", () -> {
                client.execute("DROP TABLE IF EXISTS " + table).get(30, TimeUnit.SECONDS).close();
                client.execute("CREATE TABLE " + table + " (id UInt32, name String, amount Float64) ENGINE = MergeTree"
                        + " ORDER BY id").get(30, TimeUnit.SECONDS).close();
            });
            step("bulk insert 200,000 rows (RowBinary)", () -> {
                ByteArrayOutputStream rows = new ByteArrayOutputStream();
                for (int i = 0; i < n; i++) {
                    writeInt(rows, i);
                    byte[] name = ("name-" + i + "\n\n").getBytes(StandardCharsets.UTF_8);
                    rows.write(name.length);
                    rows.write(name);
                    long bits = Double.doubleToLongBits(i * 0.5);
                    writeInt(rows, (int) bits);
                    writeInt(rows, (int) (bits >>> 32));
                }
                client.insert(table, new ByteArrayInputStream(rows.toByteArray()), ClickHouseFormat.RowBinary)
                        .get(120, TimeUnit.SECONDS).close();
            });
            step("read them back with a checksum", () -> {
                GenericRecord r = client.queryAll("SELECT count() AS c, sum(id) AS s FROM " + table).get(0);
                check(r.getLong("c") == n && r.getLong("s") == (long) n * (n - 1) / 2, r.getLong("c") + " " + r.getLong("s"));
                check(client.queryAll("SELECT name FROM " + table + " WHERE id = 7").get(0).getString("name")
                        .equals("name-7\n\n"), "row 7");
            });
            step("server-side parameters", () -> {
                List<GenericRecord> r = client.queryAll("SELECT name FROM " + table + " WHERE id = {id:UInt32}",
                        Map.of("id", 9));
                check(r.size() == 1 && r.get(0).getString("name").equals("name-9\n\n"), String.valueOf(r.size()));
            });
            step("per-query settings", () -> {
                QuerySettings settings = new QuerySettings().serverSetting("max_block_size", "7");
                check(client.queryAll("SELECT number FROM numbers(100)", settings).size() == 100, "rows");
            });
            step("a query_id of the client's choosing", () -> {
                try (QueryResponse response = client.query("SELECT 1", new QuerySettings()
                        .setQueryId("conformance-java-qid")).get(30, TimeUnit.SECONDS)) {
                    check("conformance-java-qid".equals(response.getQueryId()), response.getQueryId());
                }
            });
            step("an error the client can show", () -> {
                try {
                    client.queryAll("SELECT * FROM no_such_table_anywhere");
                } catch (RuntimeException e) {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        if (t instanceof ServerException server) {
                            check(server.getCode() == 60, "code " + server.getCode());
                            return;
                        }
                    }
                    throw e;
                }
                throw new AssertionError("no error");
            });
            step("a join with PostgreSQL, no password in the query", () -> {
                List<GenericRecord> r = client.queryAll("SELECT o.customer AS customer FROM " + table + " AS t JOIN "
                        + "postgresql('" + env.get("PG_ADDRESS") + "', 'shop', 'orders', 'bi', '') AS o ON o.id = t.id"
                        + " ORDER BY o.id");
                check(r.size() == 3 && r.get(0).getString("customer").equals("alice"), String.valueOf(r.size()));
            });
        }
    }

    static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}
