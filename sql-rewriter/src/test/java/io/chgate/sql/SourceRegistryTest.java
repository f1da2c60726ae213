package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.testkit.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The registry classifies every source the real ClickHouse 26.7 engine and 18.16 server report, and the finder
 * refuses the unclassified, the refused and every syntactic form of them.
 */
class SourceRegistryTest {
    static EmbeddedClickHouse engine;
    static LocalStack stack;

    @BeforeAll
    static void open() {
        stack = LocalStack.get();
        engine = OracleEngine.get();
    }

    static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Arrays.stream(text.split("\n")).filter(s -> !s.isBlank()).map(s -> s.toLowerCase(Locale.ROOT)).forEach(names::add);
        return names;
    }

    static String server(String sql) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(stack.clickhouseHttpUrl() + "/")).POST(HttpRequest.BodyPublishers.ofString(sql)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void everyTableFunctionTheEngineAndTheServerHaveIsClassified() throws Exception {
        Set<String> reported = names(engine.queryText("SELECT name FROM system.table_functions", "TSV"));
        reported.addAll(names(server("SELECT name FROM system.table_functions")));
        assertThat(reported).hasSizeGreaterThan(50);
        assertThat(SourceRegistry.classifiedNames().get("table_functions")).containsAll(reported);
    }

    @Test
    void everyTableEngineTheEngineAndTheServerHaveIsClassified() throws Exception {
        Set<String> reported = names(engine.queryText("SELECT name FROM system.table_engines", "TSV"));
        reported.addAll(names(server("SELECT name FROM system.table_engines")));
        assertThat(reported).hasSizeGreaterThan(40);
        assertThat(SourceRegistry.classifiedNames().get("table_engines")).containsAll(reported);
    }

    @Test
    void everyDatabaseEngineTheEngineHasIsClassified() {
        Set<String> reported = names(engine.queryText("SELECT name FROM system.database_engines", "TSV"));
        assertThat(reported).hasSizeGreaterThan(10);
        assertThat(SourceRegistry.classifiedNames().get("database_engines")).containsAll(reported);
    }

    @Test
    void integrationsAreTheOnlyRewritableSources() {
        assertThat(SourceRegistry.tableFunction("postgresql")).isEqualTo(SourceRegistry.SourceClass.INTEGRATION);
        assertThat(SourceRegistry.tableFunction("MySQL")).isEqualTo(SourceRegistry.SourceClass.INTEGRATION);
        assertThat(SourceRegistry.tableEngine("Kafka")).isEqualTo(SourceRegistry.SourceClass.INTEGRATION);
        assertThat(SourceRegistry.databaseEngine("PostgreSQL")).isEqualTo(SourceRegistry.SourceClass.INTEGRATION);
        assertThat(SourceRegistry.tableFunction("numbers")).isEqualTo(SourceRegistry.SourceClass.LOCAL);
        assertThat(SourceRegistry.tableEngine("MergeTree")).isEqualTo(SourceRegistry.SourceClass.LOCAL);
        assertThat(SourceRegistry.tableFunction("no_such_function")).isEqualTo(SourceRegistry.SourceClass.REFUSED);
        assertThat(SourceRegistry.tableEngine("NoSuchEngine")).isEqualTo(SourceRegistry.SourceClass.REFUSED);
    }

    /** Each finding's shape (issue C3, C6, C8, C9), and default deny for what no registry lists. */
    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM file('/var/lib/chgate-stack/secrets/openbao_root_token', 'LineAsString')",
        "SELECT * FROM filesystem('/var/lib')",
        "INSERT INTO FUNCTION file('/tmp/x.tsv', 'TSV', 'x String') SELECT 'pwned'",
        "SELECT file('/etc/passwd')",
        "SELECT * FROM eval('SELECT * FROM postgresql(''h:1'', ''d'', ''t'', ''u'', ''p'')')",
        "CREATE TABLE r (id Int32) ENGINE = Remote('127.0.0.1:1', 'db', 't', 'u', 'p')",
        "CREATE TABLE r (id Int32) ENGINE = GCS('http://127.0.0.1:1/b/x.csv', 'CSV')",
        "CREATE TABLE r (id Int32) ENGINE = COSN('http://127.0.0.1:1/b/x.csv', 'CSV')",
        "CREATE TABLE r (id Int32) ENGINE = OSS('http://127.0.0.1:1/b/x.csv', 'CSV')",
        "CREATE TABLE r (id Int32) ENGINE = IcebergS3('http://127.0.0.1:1/b/')",
        "CREATE TABLE r (id Int32) ENGINE = DeltaLakeS3('http://127.0.0.1:1/b/')",
        "SELECT * FROM deltaLakeS3('http://127.0.0.1:1/b/')",
        "SELECT * FROM paimon('http://127.0.0.1:1/b/')",
        "SELECT * FROM paimonS3('http://127.0.0.1:1/b/')",
        "CREATE DATABASE d ENGINE = DataLakeCatalog('http://127.0.0.1:1/catalog')",
        "CREATE TABLE t (x Int32) ENGINE = MergeTree ORDER BY x SETTINGS disk = disk(type = s3, endpoint = 'http://127.0.0.1:1/b/')",
        "CREATE TABLE t (x Int32) ENGINE = MergeTree ORDER BY x SETTINGS disk = disk(type = web, endpoint = 'http://127.0.0.1:1/')",
        "CREATE TABLE k (s String) ENGINE Kafka('127.0.0.1:1', 't', 'g', 'JSONEachRow')",
        "CREATE TABLE k (s String) ENGINE File(TSV)",
        "CREATE DATABASE m ENGINE MaterializedPostgreSQL('127.0.0.1:1', 'd', 'u', 'p')",
        "CREATE TABLE t (x Int32) ENGINE = NoSuchEngineYet",
        "CREATE TABLE t (x Int32) ENGINE = Distributed(default, default, t)",
        "SELECT * FROM someFutureTableFunction('http://127.0.0.1:1/')",
        "SELECT 1 FROM numbers(1) AS a JOIN newSource('h:1') AS b ON 1",
        "SELECT * FROM (SELECT x FROM newSource('h:1'))",
        "SELECT x FROM t WHERE x IN (SELECT y FROM newSource('h:1'))",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'secrets')) LAYOUT(FLAT()) LIFETIME(0)",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(HTTP(URL 'http://127.0.0.1:1/' FORMAT 'TSV')) LAYOUT(FLAT()) LIFETIME(0)",
        "SELECT catboostEvaluate('/var/lib/model.bin', 1)",
        "SELECT * FROM `url`('http://127.0.0.1:1/', 'TSV', 'x String')"
    })
    void refused(String sql) {
        assertThat(SqlRewriter.mightReference(sql)).as("pre-check").isTrue();
        List<Reference> refs = SqlRewriter.analyze(sql);
        assertThat(refs).as(sql).isNotEmpty();
        CollectionResolver resolver = new CollectionResolver(List.of(
                new CollectionResolver.Endpoint("postgresql", "pg.prod:5432", "shop", "shop_pg")));
        assertThat(refs).anySatisfy(r -> assertThat(resolver.resolve(r)).isInstanceOf(Resolution.Refuse.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT name, engine FROM system.tables WHERE engine = 'MergeTree'",
        "SELECT engine FROM system.tables",
        "CREATE TABLE t (engine String, n Nullable(String)) ENGINE = MergeTree ORDER BY engine",
        "CREATE TABLE t (x Int32) ENGINE MergeTree ORDER BY x",
        "CREATE TABLE t AS numbers(10)",
        "SELECT * FROM numbers(10) AS a JOIN generateRandom('x UInt8') AS b ON 1",
        "CREATE DATABASE d ENGINE = Atomic",
        "SELECT * FROM (SELECT 1) AS s",
        "SELECT count() FROM t WHERE x IN (SELECT y FROM u)",
        "SELECT toDate(x), sum(y) FROM t GROUP BY toDate(x)",
        "SELECT a, idx FROM t ARRAY JOIN arrayEnumerate(arr) AS idx",
        "SELECT a FROM t LEFT ARRAY JOIN arrayMap(x -> x * 2, arr) AS m",
        "SELECT EXTRACT(YEAR FROM toDate(created_at)) AS y, count() FROM orders GROUP BY y",
        "SELECT SUBSTRING(lower(name) FROM 2 FOR 3), TRIM(BOTH ' ' FROM concat(a, b)) FROM t"
    })
    void localSourcesPass(String sql) {
        assertThat(SqlRewriter.analyze(sql)).as(sql).isEmpty();
    }
}
