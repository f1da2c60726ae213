package io.chgate.sql;

import java.util.Locale;
import java.util.Map;

/**
 * The external sources ClickHouse can reach with credentials, by the names they go by as table functions, table
 * and database engines, and dictionary sources. Names match case-insensitively: refusing a reference policy would
 * refuse matters more than ClickHouse's own case rules.
 */
final class Sources {
    /** Table function name (lower case) → source. */
    private static final Map<String, String> TABLE_FUNCTIONS = Map.ofEntries(
            Map.entry("postgresql", "postgresql"), Map.entry("mysql", "mysql"), Map.entry("mongodb", "mongodb"),
            Map.entry("s3", "s3"), Map.entry("s3cluster", "s3"), Map.entry("gcs", "gcs"), Map.entry("oss", "oss"),
            Map.entry("cosn", "cosn"), Map.entry("url", "url"), Map.entry("urlcluster", "url"),
            Map.entry("remote", "remote"), Map.entry("remotesecure", "remote"), Map.entry("jdbc", "jdbc"),
            Map.entry("odbc", "odbc"), Map.entry("redis", "redis"), Map.entry("azureblobstorage", "azureblobstorage"),
            Map.entry("azureblobstoragecluster", "azureblobstorage"), Map.entry("hdfs", "hdfs"),
            Map.entry("hdfscluster", "hdfs"), Map.entry("iceberg", "iceberg"), Map.entry("icebergs3", "iceberg"),
            Map.entry("icebergazure", "iceberg"), Map.entry("iceberghdfs", "iceberg"),
            Map.entry("deltalake", "deltalake"), Map.entry("hudi", "hudi"), Map.entry("hive", "hive"),
            Map.entry("sqlite", "sqlite"), Map.entry("ytsaurus", "ytsaurus"), Map.entry("arrowflight", "arrowflight"));

    /** Table or database engine name (lower case) → source. */
    private static final Map<String, String> ENGINES = Map.ofEntries(
            Map.entry("postgresql", "postgresql"), Map.entry("materializedpostgresql", "materializedpostgresql"),
            Map.entry("mysql", "mysql"), Map.entry("materializedmysql", "materializedmysql"),
            Map.entry("kafka", "kafka"), Map.entry("mongodb", "mongodb"), Map.entry("s3", "s3"),
            Map.entry("s3queue", "s3"), Map.entry("url", "url"), Map.entry("jdbc", "jdbc"), Map.entry("odbc", "odbc"),
            Map.entry("redis", "redis"), Map.entry("rabbitmq", "rabbitmq"), Map.entry("nats", "nats"),
            Map.entry("hdfs", "hdfs"), Map.entry("azureblobstorage", "azureblobstorage"),
            Map.entry("azurequeue", "azureblobstorage"), Map.entry("deltalake", "deltalake"),
            Map.entry("hudi", "hudi"), Map.entry("iceberg", "iceberg"), Map.entry("hive", "hive"),
            Map.entry("sqlite", "sqlite"), Map.entry("externaldistributed", "externaldistributed"));

    /** Dictionary source name (lower case) → source. */
    private static final Map<String, String> DICTIONARY_SOURCES = Map.ofEntries(
            Map.entry("postgresql", "postgresql"), Map.entry("mysql", "mysql"), Map.entry("mongodb", "mongodb"),
            Map.entry("redis", "redis"), Map.entry("clickhouse", "clickhouse"), Map.entry("http", "url"),
            Map.entry("odbc", "odbc"), Map.entry("cassandra", "cassandra"), Map.entry("ytsaurus", "ytsaurus"));

    /** Longest name above: words longer than this are never looked up. */
    static final int LONGEST = 23;

    private Sources() {
    }

    static String tableFunction(String name) {
        return name.length() > LONGEST ? null : TABLE_FUNCTIONS.get(name.toLowerCase(Locale.ROOT));
    }

    static String engine(String name) {
        return name.length() > LONGEST ? null : ENGINES.get(name.toLowerCase(Locale.ROOT));
    }

    static String dictionarySource(String name) {
        return name.length() > LONGEST ? null : DICTIONARY_SOURCES.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every name above, lower case, bucketed by length: the pre-check compares a word only with names as long. */
    private static final String[][] BY_LENGTH = new String[LONGEST + 1][];

    static {
        java.util.Set<String> all = new java.util.TreeSet<>();
        all.addAll(TABLE_FUNCTIONS.keySet());
        all.addAll(ENGINES.keySet());
        all.addAll(DICTIONARY_SOURCES.keySet());
        for (int length = 0; length <= LONGEST; length++) {
            int n = length;
            String[] names = all.stream().filter(name -> name.length() == n).toArray(String[]::new);
            BY_LENGTH[length] = names.length == 0 ? null : names;
        }
    }

    /** Whether a word of the text could name any source: the cheap test before any parsing; allocates nothing. */
    static boolean anyName(String sql, int start, int end) {
        int length = end - start;
        if (length < 2 || length > LONGEST) {
            return false;
        }
        String[] candidates = BY_LENGTH[length];
        if (candidates == null) {
            return false;
        }
        char first = (char) (sql.charAt(start) | 0x20);   // ASCII lower case; names are all lower-case ASCII
        for (String name : candidates) {
            if (name.charAt(0) == first && sql.regionMatches(true, start, name, 0, length)) {
                return true;
            }
        }
        return false;
    }
}
