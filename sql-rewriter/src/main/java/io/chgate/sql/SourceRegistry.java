package io.chgate.sql;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every table function, table engine, database engine and dictionary source ClickHouse has (26.7 and 18.16, as
 * their system tables list them), each classified once:
 * <ul>
 *   <li>{@link SourceClass#LOCAL}: reads or writes only this server's own tables and generated data;</li>
 *   <li>{@link SourceClass#INTEGRATION}: PostgreSQL, MySQL and Kafka, which chgate rewrites onto an integration's
 *       named collection;</li>
 *   <li>{@link SourceClass#REFUSED}: everything that reads or writes files, URLs, object stores, other servers
 *       (other ClickHouse nodes included, which run queries with the cluster's credentials), runs programs, or runs
 *       SQL held in a string.</li>
 * </ul>
 * A name not listed is refused: default deny. {@code SourceRegistryTest} fails when the engine or the server reports
 * a name this registry does not classify, so a new ClickHouse version cannot slip one past unseen.
 *
 * <p>Names match case-insensitively: refusing a reference matters more than ClickHouse's own case rules.
 */
public final class SourceRegistry {

    public enum SourceClass { LOCAL, INTEGRATION, REFUSED }

    /** Integration names (lower case) and the source they belong to. */
    private static final Map<String, String> INTEGRATIONS = Map.of(
            "postgresql", "postgresql", "materializedpostgresql", "materializedpostgresql", "mysql", "mysql",
            "materializedmysql", "materializedmysql", "kafka", "kafka");

    private static final Set<String> LOCAL_TABLE_FUNCTIONS = names(
            "dictionary", "format", "fuzzJSON", "fuzzQuery", "generateRandom", "generateSeries", "generate_series",
            "input", "loop", "merge", "mergeTreeAnalyzeIndexes", "mergeTreeAnalyzeIndexesUUID", "mergeTreeIndex",
            "mergeTreeProjection", "mergeTreeTextIndex", "null", "numbers", "numbers_mt", "primes", "SQLStandardValues",
            "values", "view", "viewExplain", "viewIfPermitted", "zeros", "zeros_mt");

    private static final Set<String> REFUSED_TABLE_FUNCTIONS = names(
            "arrowFlight", "arrowstream", "azureBlobStorage", "azureBlobStorageCluster", "catBoostPool", "cluster",
            "clusterAllReplicas", "cosn", "deltaLake", "deltaLakeAzure", "deltaLakeAzureCluster", "deltaLakeCluster",
            "deltaLakeLocal", "deltaLakeS3", "deltaLakeS3Cluster", "eval", "executable", "file", "fileCluster",
            "filesystem", "gcs", "hdfs", "hdfsCluster", "hive", "hudi", "hudiCluster", "iceberg", "icebergAzure",
            "icebergAzureCluster", "icebergCluster", "icebergHDFS", "icebergHDFSCluster", "icebergLocal",
            "icebergLocalCluster", "icebergS3", "icebergS3Cluster", "jdbc", "mongodb", "odbc", "oss", "paimon",
            "paimonAzure", "paimonAzureCluster", "paimonCluster", "paimonHDFS", "paimonHDFSCluster", "paimonLocal",
            "paimonS3", "paimonS3Cluster", "prometheusQuery", "prometheusQueryRange", "redis", "remote", "remoteSecure",
            "s3", "s3Cluster", "shardByHash", "sqlite", "timeSeriesData", "timeSeriesMetrics", "timeSeriesSamples",
            "timeSeriesSelector", "timeSeriesTags", "url", "urlCluster", "ytsaurus");

    private static final Set<String> LOCAL_TABLE_ENGINES = names(
            "AggregatingMergeTree", "Alias", "Buffer", "CoalescingMergeTree", "CollapsingMergeTree", "Dictionary",
            "EmbeddedRocksDB", "FuzzJSON", "FuzzQuery", "GenerateRandom", "GraphiteMergeTree", "Join", "Log", "Loop",
            "MaterializedView", "Memory", "Merge", "MergeTree", "Null", "ReplacingMergeTree",
            "ReplicatedAggregatingMergeTree", "ReplicatedCoalescingMergeTree", "ReplicatedCollapsingMergeTree",
            "ReplicatedGraphiteMergeTree", "ReplicatedMergeTree", "ReplicatedReplacingMergeTree",
            "ReplicatedSummingMergeTree", "ReplicatedVersionedCollapsingMergeTree", "Set", "StripeLog",
            "SummingMergeTree", "TimeSeries", "TinyLog", "VersionedCollapsingMergeTree", "View", "WindowView");

    private static final Set<String> REFUSED_TABLE_ENGINES = names(
            "ArrowStream", "AzureBlobStorage", "AzureQueue", "COSN", "DeltaLake", "DeltaLakeAzure", "DeltaLakeLocal",
            "DeltaLakeS3", "Distributed", "Executable", "ExecutablePool", "ExternalDistributed", "File", "FileLog",
            "GCS", "HDFS", "Hive", "Hudi", "Iceberg", "IcebergAzure", "IcebergHDFS", "IcebergLocal", "IcebergS3", "JDBC",
            "KeeperMap", "MongoDB", "NATS", "ODBC", "OSS", "Paimon", "PaimonAzure", "PaimonHDFS", "PaimonLocal",
            "PaimonS3", "QueryRunner", "RabbitMQ", "Redis", "Remote", "RemoteSecure", "S3", "S3Queue", "SQLite", "URL",
            "YTsaurus");

    private static final Set<String> LOCAL_DATABASE_ENGINES = names(
            "Atomic", "Dictionary", "Lazy", "Memory", "Ordinary", "Replicated");

    private static final Set<String> REFUSED_DATABASE_ENGINES = names(
            "Backup", "DataLakeCatalog", "Filesystem", "HDFS", "S3", "SQLite");

    private static final Set<String> LOCAL_DICTIONARY_SOURCES = names("NULL");

    private static final Set<String> REFUSED_DICTIONARY_SOURCES = names(
            "CASSANDRA", "CLICKHOUSE", "EXECUTABLE", "EXECUTABLE_POOL", "FILE", "HTTP", "JDBC", "LIBRARY", "MONGODB",
            "ODBC", "REDIS", "YAMLREGEXPTREE", "YTSAURUS");

    /**
     * Scalar functions that read files or run SQL from outside the statement; refused wherever they are called, as
     * are the refused table functions' names ({@code file} is both). {@code disk} builds a dynamic disk in a
     * {@code SETTINGS disk = disk(type = s3, endpoint = ...)} clause.
     */
    private static final Set<String> REFUSED_CALLS = names("catboostEvaluate", "disk");

    /** Every name a call may be refused or rewritten for, by length: the pre-check's lookup. */
    private static final String[][] CALL_NAMES_BY_LENGTH;
    private static final String[][] LOCAL_FUNCTIONS_BY_LENGTH;
    /** For each length, a bit per first letter a-z of the names that long (bit 31: one starts otherwise). */
    private static final int[] CALL_NAME_FIRSTS;
    private static final int[] LOCAL_FUNCTION_FIRSTS;

    static {
        Set<String> callNames = new TreeSet<>(REFUSED_TABLE_FUNCTIONS);
        callNames.addAll(REFUSED_CALLS);
        callNames.addAll(INTEGRATIONS.keySet());
        CALL_NAMES_BY_LENGTH = byLength(callNames);
        LOCAL_FUNCTIONS_BY_LENGTH = byLength(LOCAL_TABLE_FUNCTIONS);
        CALL_NAME_FIRSTS = firstLetters(CALL_NAMES_BY_LENGTH);
        LOCAL_FUNCTION_FIRSTS = firstLetters(LOCAL_FUNCTIONS_BY_LENGTH);
    }

    private static int[] firstLetters(String[][] byLength) {
        int[] masks = new int[byLength.length];
        for (int length = 0; length < byLength.length; length++) {
            for (String name : byLength[length] == null ? new String[0] : byLength[length]) {
                char first = name.charAt(0);
                masks[length] |= first >= 'a' && first <= 'z' ? 1 << (first - 'a') : 1 << 31;
            }
        }
        return masks;
    }

    private static String[][] byLength(Set<String> names) {
        int longest = names.stream().mapToInt(String::length).max().orElseThrow();
        String[][] buckets = new String[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int n = length;
            String[] bucket = names.stream().filter(name -> name.length() == n).toArray(String[]::new);
            buckets[length] = bucket.length == 0 ? null : bucket;
        }
        return buckets;
    }

    private SourceRegistry() {
    }

    public static SourceClass tableFunction(String name) {
        return classify(name, INTEGRATIONS.containsKey(lower(name)) && !lower(name).startsWith("materialized"),
                LOCAL_TABLE_FUNCTIONS, REFUSED_TABLE_FUNCTIONS);
    }

    public static SourceClass tableEngine(String name) {
        return classify(name, INTEGRATIONS.containsKey(lower(name)) && !lower(name).equals("materializedmysql"),
                LOCAL_TABLE_ENGINES, REFUSED_TABLE_ENGINES);
    }

    public static SourceClass databaseEngine(String name) {
        return classify(name, INTEGRATIONS.containsKey(lower(name)) && !lower(name).equals("kafka"),
                LOCAL_DATABASE_ENGINES, REFUSED_DATABASE_ENGINES);
    }

    public static SourceClass dictionarySource(String name) {
        String n = lower(name);
        return classify(name, n.equals("postgresql") || n.equals("mysql"), LOCAL_DICTIONARY_SOURCES,
                REFUSED_DICTIONARY_SOURCES);
    }

    /** Whether a call of this name anywhere in a statement is a reference: rewritten or refused, never ignored. */
    public static boolean isReferenceCall(String name) {
        String n = lower(name);
        return REFUSED_TABLE_FUNCTIONS.contains(n) || REFUSED_CALLS.contains(n)
                || INTEGRATIONS.containsKey(n) && !n.startsWith("materialized");
    }

    /** Whether a table or database engine of this name exists, whatever its class. */
    public static boolean isKnownEngine(String name) {
        String n = lower(name);
        return INTEGRATIONS.containsKey(n) || LOCAL_TABLE_ENGINES.contains(n) || REFUSED_TABLE_ENGINES.contains(n)
                || LOCAL_DATABASE_ENGINES.contains(n) || REFUSED_DATABASE_ENGINES.contains(n);
    }

    /** Whether ClickHouse has a table function, engine or dictionary source of this name. */
    public static boolean isKnownSource(String name) {
        String n = lower(name);
        return isKnownEngine(n) || LOCAL_TABLE_FUNCTIONS.contains(n) || REFUSED_TABLE_FUNCTIONS.contains(n)
                || LOCAL_DICTIONARY_SOURCES.contains(n) || REFUSED_DICTIONARY_SOURCES.contains(n);
    }

    /** Whether this is a table function that reads only local or generated data. */
    public static boolean isLocalTableFunction(String name) {
        return LOCAL_TABLE_FUNCTIONS.contains(lower(name));
    }

    /** The source an integration-class name belongs to ({@code postgresql}, {@code mysql}, {@code kafka}, ...). */
    static String integrationSource(String name) {
        return INTEGRATIONS.get(lower(name));
    }

    /** Whether the text's {@code [start, end)} could be a reference call's name; allocates nothing. */
    static boolean mightBeReferenceCall(CharSequence sql, int start, int end) {
        return matchesAny(sql, start, end, CALL_NAMES_BY_LENGTH, CALL_NAME_FIRSTS);
    }

    /** Whether the text's {@code [start, end)} is a local table function's name; allocates nothing. */
    static boolean mightBeLocalTableFunction(CharSequence sql, int start, int end) {
        return matchesAny(sql, start, end, LOCAL_FUNCTIONS_BY_LENGTH, LOCAL_FUNCTION_FIRSTS);
    }

    private static boolean matchesAny(CharSequence sql, int start, int end, String[][] byLength, int[] firsts) {
        int length = end - start;
        if (length < 1 || length >= byLength.length) {
            return false;
        }
        String[] candidates = byLength[length];
        if (candidates == null) {
            return false;
        }
        char first = (char) (sql.charAt(start) | 0x20);   // ASCII lower case; every name is lower-case ASCII
        int letter = first - 'a';
        if (firsts[length] >= 0 && (letter < 0 || letter > 25 || (firsts[length] & (1 << letter)) == 0)) {
            return false;   // no name this long starts so: one bit test instead of a comparison per name
        }
        for (String name : candidates) {
            if (name.charAt(0) == first && regionMatchesIgnoreCase(sql, start, name)) {
                return true;
            }
        }
        return false;
    }

    /** Every name this registry classifies, by kind, for the classification test. */
    static Map<String, Set<String>> classifiedNames() {
        Map<String, Set<String>> names = new HashMap<>();
        Set<String> functions = new TreeSet<>(LOCAL_TABLE_FUNCTIONS);
        functions.addAll(REFUSED_TABLE_FUNCTIONS);
        functions.add("postgresql");
        functions.add("mysql");
        names.put("table_functions", functions);
        Set<String> engines = new TreeSet<>(LOCAL_TABLE_ENGINES);
        engines.addAll(REFUSED_TABLE_ENGINES);
        engines.addAll(Set.of("postgresql", "materializedpostgresql", "mysql", "kafka"));
        names.put("table_engines", engines);
        Set<String> databases = new TreeSet<>(LOCAL_DATABASE_ENGINES);
        databases.addAll(REFUSED_DATABASE_ENGINES);
        databases.addAll(Set.of("postgresql", "materializedpostgresql", "mysql", "materializedmysql"));
        names.put("database_engines", databases);
        return names;
    }

    private static SourceClass classify(String name, boolean integration, Set<String> local, Set<String> refused) {
        if (integration) {
            return SourceClass.INTEGRATION;
        }
        return local.contains(lower(name)) ? SourceClass.LOCAL : SourceClass.REFUSED;
    }

    private static boolean regionMatchesIgnoreCase(CharSequence sql, int start, String lowerName) {
        for (int i = 0; i < lowerName.length(); i++) {
            char c = sql.charAt(start + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c | 0x20);
            }
            if (c != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static Set<String> names(String... names) {
        Set<String> set = new TreeSet<>();
        for (String name : names) {
            set.add(name.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(set);
    }
}
