package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.engine.EngineException;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The function registry knows every function, combinator, data type family, table function and table engine the
 * ClickHouse 26.7
 * engine and the 18.16 server report, and {@code functions.tsv} is exactly what {@link FunctionRules} make of them.
 * Run with {@code -Dchgate.functions.generate=true} to rewrite the file after a rule changes or an engine gains
 * names; review the diff.
 */
class FunctionRegistryTest {
    private static final Path FILE = LocalStack.repoRoot()
            .resolve("sql-rewriter/src/main/resources/io/chgate/sql/functions.tsv");

    /** One name as the engines report it. */
    record Reported(String name, String kind, boolean aggregate, boolean caseInsensitive, Boolean deterministic,
            boolean in26, boolean bare) {
    }

    static EmbeddedClickHouse engine;
    static Map<String, Reported> reported;

    @BeforeAll
    static void read() throws Exception {
        LocalStack stack = LocalStack.get();
        engine = OracleEngine.get();
        reported = new TreeMap<>();
        for (String[] r : rows(engine.queryText("SELECT name, is_aggregate, case_insensitive,"
                + " ifNull(toString(deterministic), '') FROM system.functions", "TSV"))) {
            Boolean deterministic = r[3].isEmpty() || r[3].equals("\\N") ? null : r[3].equals("1");
            put(new Reported(r[0], "function", r[1].equals("1"), r[2].equals("1"), deterministic, true,
                    callableBare(r[0], r[1].equals("1"))));
        }
        for (String[] r : rows(engine.queryText("SELECT name FROM system.table_functions", "TSV"))) {
            put(new Reported(r[0], "table", false, false, null, true, false));
        }
        for (String[] r : rows(engine.queryText("SELECT name FROM system.aggregate_function_combinators", "TSV"))) {
            put(new Reported(r[0], "combinator", false, false, null, true, false));
        }
        for (String[] r : rows(engine.queryText("SELECT name, case_insensitive FROM system.data_type_families",
                "TSV"))) {
            put(new Reported(r[0], "type", false, r[1].equals("1"), null, true, false));
        }
        for (String[] r : rows(engine.queryText("SELECT name FROM system.table_engines", "TSV"))) {
            put(new Reported(r[0], "engine", false, false, null, true, false));
        }
        String server = stack.clickhouseHttpUrl();
        for (String[] r : rows(serverText(server, "SELECT name FROM system.table_engines"))) {
            reported.putIfAbsent(r[0] + "\tengine", new Reported(r[0], "engine", false, false, null, false, false));
        }
        for (String[] r : rows(serverText(server, "SELECT name, is_aggregate, case_insensitive FROM system.functions"))) {
            reported.putIfAbsent(r[0] + "\tfunction", new Reported(r[0], "function", r[1].equals("1"),
                    r[2].equals("1"), null, false, false));
        }
        for (String[] r : rows(serverText(server, "SELECT name FROM system.table_functions"))) {
            reported.putIfAbsent(r[0] + "\ttable", new Reported(r[0], "table", false, false, null, false, false));
        }
        for (String[] r : rows(serverText(server, "SELECT name FROM system.aggregate_function_combinators"))) {
            reported.putIfAbsent(r[0] + "\tcombinator", new Reported(r[0], "combinator", false, false, null, false,
                    false));
        }
        for (String[] r : rows(serverText(server, "SELECT name, case_insensitive FROM system.data_type_families"))) {
            reported.putIfAbsent(r[0] + "\ttype", new Reported(r[0], "type", false, r[1].equals("1"), null, false,
                    false));
        }
    }

    private static void put(Reported r) {
        reported.put(r.name() + "\t" + r.kind(), r);
    }

    /** Whether the 26 engine calls the function when its name stands alone: {@code SELECT now}. */
    private static boolean callableBare(String name, boolean aggregate) {
        if (aggregate) {
            return false;
        }
        try {
            engine.queryText("SELECT " + name + " LIMIT 0", "TSV");
            return true;
        } catch (EngineException e) {
            return false;
        }
    }

    private static List<String[]> rows(String tsv) {
        List<String[]> out = new ArrayList<>();
        for (String line : tsv.split("\n")) {
            if (!line.isEmpty()) {
                out.add(line.split("\t", -1));
            }
        }
        return out;
    }

    private static String serverText(String url, String sql) throws Exception {
        HttpResponse<String> r;
        try {
            r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/"))
                    .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("the ClickHouse 18.16 server at " + url + " does not answer; run dev/stack up",
                    e);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    static String render() {
        StringBuilder sb = new StringBuilder()
                .append("# Functions, aggregate combinators, data type families, table functions and table engines of"
                        + " ClickHouse 26.7 and 18.16, classed for the response cache.\n")
                .append("# Written by FunctionRegistryTest from both engines and FunctionRules; do not edit by hand.\n")
                .append("# name<TAB>class (deterministic, nondeterministic, combinator, type, table-cacheable,"
                        + " table-live)<TAB>flags (engine: a table engine, not a table function; aggregate;"
                        + " case-insensitive; bare: called without parentheses; - for none)\n");
        for (Reported r : reported.values()) {
            FunctionClass c = switch (r.kind()) {
                case "table" -> FunctionRules.tableFunction(r.name());
                case "engine" -> FunctionRules.engine(r.name());
                case "combinator" -> FunctionClass.COMBINATOR;
                case "type" -> FunctionClass.TYPE;
                default -> FunctionRules.function(r.name(), r.deterministic(), r.aggregate(), r.in26());
            };
            List<String> flags = new ArrayList<>();
            if (r.kind().equals("engine")) {
                flags.add("engine");
            }
            if (r.aggregate()) {
                flags.add("aggregate");
            }
            if (r.caseInsensitive()) {
                flags.add("case-insensitive");
            }
            if (r.bare()) {
                flags.add("bare");
            }
            sb.append(r.name()).append('\t').append(c.tag()).append('\t')
                    .append(flags.isEmpty() ? "-" : String.join(",", flags)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void theCommittedFileIsWhatTheRulesMakeOfBothEngines() throws IOException {
        String file = render();
        if (Boolean.getBoolean("chgate.functions.generate")) {
            Files.writeString(FILE, file, StandardCharsets.UTF_8);
            return;
        }
        assertThat(Files.readString(FILE)).as("functions.tsv; regenerate with -Dchgate.functions.generate=true and"
                + " review the diff").isEqualTo(file);
    }

    @Test
    void everyNameEitherEngineReportsIsClassified() {
        assertThat(reported).hasSizeGreaterThan(2000);
        Set<String> unknown = new TreeSet<>();
        for (Reported r : reported.values()) {
            boolean known = switch (r.kind()) {
                case "table" -> FunctionRegistry.tableFunction(r.name()) != null;
                case "engine" -> FunctionRegistry.engine(r.name()) != null;
                case "type" -> FunctionRegistry.isType(r.name());
                case "combinator" -> FunctionRegistry.entries().stream().anyMatch(e -> e.name().equals(r.name())
                        && e.functionClass() == FunctionClass.COMBINATOR);
                default -> FunctionRegistry.function(r.name()) != null;
            };
            if (!known) {
                unknown.add(r.kind() + " " + r.name());
            }
        }
        assertThat(unknown).as("names the registry does not know; rerun with -Dchgate.functions.generate=true and"
                + " review the classes").isEmpty();
    }

    @Test
    void whatTheIssueNamesIsNeverCached() {
        for (String name : new String[] {"now", "NOW", "now64", "nowInBlock", "today", "yesterday", "rand",
                "rand64", "randomString", "generateUUIDv4", "generateUUIDv7", "generateSnowflakeID", "fuzzBits",
                "queryID", "initialQueryID", "currentQueryID", "hostName", "hostname", "version", "uptime",
                "serverUUID", "getMacro", "shardNum", "shardCount", "blockNumber", "rowNumberInBlock",
                "rowNumberInAllBlocks", "blockSize", "runningDifference", "neighbor", "groupArraySample",
                "filesystemAvailable", "getServerPort", "tcpPort", "current_timestamp", "CURRENT_TIMESTAMP",
                "localtimestamp", "getSetting", "tid", "groupArraySampleIf"}) {
            assertThat(FunctionRegistry.function(name)).as(name).isEqualTo(FunctionClass.NONDETERMINISTIC);
        }
    }

    @Test
    void aggregateCombinatorsReduceToTheirBase() {
        for (String name : new String[] {"sumIf", "uniqMergeState", "countOrNull", "sumArray", "avgForEach",
                "uniqDistinct", "sumOrDefault", "sumResample", "sumSimpleState", "sumMap", "sumArgMin",
                "maxArgMax", "COUNTIf", "quantileIf", "groupArrayIfState", "count", "COUNT", "currentDatabase",
                "currentUser", "dictGet", "dictGetString", "joinGet", "arrayJoin", "toDate", "CAST"}) {
            assertThat(FunctionRegistry.function(name)).as(name).isEqualTo(FunctionClass.DETERMINISTIC);
        }
        assertThat(FunctionRegistry.function("lowerIf")).as("a combinator on an ordinary function").isNull();
        assertThat(FunctionRegistry.function("noSuchFunction")).isNull();
        assertThat(FunctionRegistry.function("TODATE")).as("toDate is case-sensitive").isNull();
    }

    @Test
    void tableFunctionsAreClassified() {
        for (String name : new String[] {"numbers", "values", "VALUES", "view", "postgresql", "mysql", "mongodb",
                "sqlite", "odbc", "jdbc", "redis", "dictionary", "generate_series"}) {
            assertThat(FunctionRegistry.tableFunction(name)).as(name).isEqualTo(FunctionClass.TABLE_CACHEABLE);
        }
        for (String name : new String[] {"generateRandom", "input", "file", "url", "s3", "remote", "cluster",
                "merge", "loop", "executable", "icebergS3", "azureBlobStorage", "hdfs", "fuzzJSON",
                "mergeTreeIndex", "remoteSecure", "viewExplain"}) {
            assertThat(FunctionRegistry.tableFunction(name)).as(name).isEqualTo(FunctionClass.TABLE_LIVE);
        }
        assertThat(FunctionRegistry.tableFunction("noSuchTableFunction")).isNull();
        for (String name : new String[] {"MergeTree", "ReplicatedReplacingMergeTree", "Memory", "PostgreSQL",
                "Buffer", "Dictionary"}) {
            assertThat(FunctionRegistry.engine(name)).as(name).isEqualTo(FunctionClass.TABLE_CACHEABLE);
        }
        for (String name : new String[] {"GenerateRandom", "S3", "URL", "File", "Kafka", "Merge", "Distributed"}) {
            assertThat(FunctionRegistry.engine(name)).as(name).isEqualTo(FunctionClass.TABLE_LIVE);
        }
        assertThat(FunctionRegistry.engine("NoSuchEngine")).isNull();
    }

    @Test
    void typesAreKnownAndBareCallsAreTheEnginesFew() {
        assertThat(FunctionRegistry.isType("Nullable")).isTrue();
        assertThat(FunctionRegistry.isType("Decimal")).isTrue();
        assertThat(FunctionRegistry.isType("LowCardinality")).isTrue();
        assertThat(FunctionRegistry.bare("now")).isEqualTo(FunctionClass.NONDETERMINISTIC);
        assertThat(FunctionRegistry.bare("CURRENT_DATE")).isEqualTo(FunctionClass.NONDETERMINISTIC);
        assertThat(FunctionRegistry.bare("currentDatabase")).isEqualTo(FunctionClass.DETERMINISTIC);
        assertThat(FunctionRegistry.bare("version")).isNull();
        assertThat(FunctionRegistry.entries().stream().filter(FunctionRegistry.Entry::bare).count())
                .isBetween(5L, 40L);
    }
}
