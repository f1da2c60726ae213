package io.chgate.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The reviewed rules that class every function and table function both engines report for the response cache;
 * {@code FunctionRegistryTest} writes {@code functions.tsv} from them. An ordinary function takes ClickHouse 26's own
 * {@code system.functions.deterministic} (what its query cache refuses), but for the overrides below, each with its
 * why; a function the 26 engine does not judge, or does not have, is non-deterministic unless listed here.
 */
final class FunctionRules {
    private FunctionRules() {
    }

    /**
     * Non-deterministic to ClickHouse, deterministic for a cache whose key holds the database and the user's
     * identity: their answer is fixed by the key.
     */
    static final Set<String> FIXED_BY_KEY = Set.of("currentDatabase", "DATABASE", "SCHEMA", "current_database",
            "currentSchemas", "current_schemas", "currentUser", "current_user", "session_user", "user",
            "authenticatedUser", "authUser");

    /**
     * Non-deterministic to ClickHouse as its planner must not merge or move them; their answer is a function of
     * their arguments.
     */
    static final Set<String> PLANNER_ONLY = Set.of("arrayJoin", "unnest");

    /**
     * Non-deterministic to ClickHouse because a dictionary or Join table may change: the cache records the object
     * they name (ObjectReferences reports it) and a write through chgate drops the entry; reloads from a
     * dictionary's own source are bounded by the ttl, like an external database's rows.
     */
    static boolean readsNamedObject(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("dictget") || lower.startsWith("dicthas") || lower.startsWith("dictisin")
                || lower.startsWith("joinget");
    }

    /** Deterministic to ClickHouse 26, yet not: the thread that runs the block. */
    static final Set<String> NONDETERMINISTIC_TOO = Set.of("tid");

    /**
     * Aggregate functions (which the 26 engine does not judge) that are random by design. Others are deterministic:
     * an answer that depends on the order rows arrive in ({@code any}, {@code groupArray}) or on an approximation's
     * sampling ({@code quantile}) is one the engine may give on any run, so serving it again is as right as running
     * the statement again.
     */
    static final Set<String> RANDOM_AGGREGATES = Set.of("groupArraySample", "aggThrow");

    /** Functions only 18.16 has whose answer depends on their arguments alone. */
    static final Set<String> DETERMINISTIC_18 = Set.of("sumMap", "sumburConsistentHash");

    /** An ordinary or aggregate function; {@code deterministic26} null when the 26 engine does not judge it. */
    static FunctionClass function(String name, Boolean deterministic26, boolean aggregate, boolean in26) {
        if (NONDETERMINISTIC_TOO.contains(name) || RANDOM_AGGREGATES.contains(name)) {
            return FunctionClass.NONDETERMINISTIC;
        }
        if (FIXED_BY_KEY.contains(name) || PLANNER_ONLY.contains(name) || readsNamedObject(name)) {
            return FunctionClass.DETERMINISTIC;
        }
        if (!in26) {
            return DETERMINISTIC_18.contains(name) ? FunctionClass.DETERMINISTIC : FunctionClass.NONDETERMINISTIC;
        }
        if (deterministic26 != null) {
            return deterministic26 ? FunctionClass.DETERMINISTIC : FunctionClass.NONDETERMINISTIC;
        }
        return aggregate ? FunctionClass.DETERMINISTIC : FunctionClass.NONDETERMINISTIC;
    }

    /**
     * Table functions whose rows the cache may keep: generated from the statement's own text, a dictionary (an
     * object the cache records), and external databases, whose rows change behind ClickHouse's back as a
     * dictionary's do — the ttl bounds them, and the README says so.
     */
    static final Set<String> TABLE_CACHEABLE = Set.of("values", "SQLStandardValues", "numbers", "numbers_mt",
            "zeros", "zeros_mt", "primes", "generateSeries", "generate_series", "null", "view", "format",
            "dictionary", "postgresql", "mysql", "mongodb", "sqlite", "odbc", "jdbc", "redis");

    /**
     * Table functions reading live or random rows: files and object stores and data lakes (written by others, no
     * object to record), other ClickHouse servers, random generators, the engine's own internals and live views of
     * it, programs run by the server, and tables chosen by pattern. Prefixes name families ({@code s3Cluster}).
     */
    static final List<String> TABLE_LIVE_PREFIXES = List.of("generateRandom", "input", "file", "filesystem", "url",
            "s3", "gcs", "cosn", "oss", "azureBlobStorage", "hdfs", "deltaLake", "hudi", "iceberg", "paimon",
            "ytsaurus", "arrowstream", "remote", "cluster", "merge", "loop", "executable", "eval", "fuzz",
            "prometheusQuery", "timeSeries", "viewExplain", "viewIfPermitted", "catBoostPool", "shardByHash");

    /** A table function's class; fails on a name no rule covers, so a new engine's is reviewed before it is used. */
    static FunctionClass tableFunction(String name) {
        if (TABLE_CACHEABLE.contains(name)) {
            return FunctionClass.TABLE_CACHEABLE;
        }
        for (String prefix : TABLE_LIVE_PREFIXES) {
            if (name.startsWith(prefix)) {
                return FunctionClass.TABLE_LIVE;
            }
        }
        throw new IllegalStateException("table function " + name + " has no rule in FunctionRules; classify it");
    }

    /**
     * Table engines whose rows the cache may keep: stored by this server and changed by writes chgate sees (others'
     * writes, a replica's, an external database's, bounded by the ttl), or reading other tables that
     * {@code CacheableRead.derivations} names (Buffer, Alias).
     */
    static final Set<String> ENGINE_CACHEABLE = Set.of("Log", "TinyLog", "StripeLog", "Memory", "Set", "Join", "Null",
            "Dictionary", "EmbeddedRocksDB", "KeeperMap", "MySQL", "PostgreSQL", "MongoDB", "SQLite", "ODBC", "JDBC",
            "Redis", "MaterializedPostgreSQL", "MaterializedView", "View", "Buffer", "Alias");

    /**
     * Table engines whose rows are live or random: files, object stores and data lakes, streams a read consumes,
     * other servers (Distributed, Remote), tables chosen by pattern (Merge), programs, generators, live views.
     */
    static final List<String> ENGINE_LIVE_PREFIXES = List.of("ArrowStream", "AzureBlobStorage", "AzureQueue", "COSN",
            "DeltaLake", "Distributed", "Executable", "File", "Fuzz", "GCS", "GenerateRandom", "HDFS", "Hudi",
            "Iceberg", "Kafka", "Loop", "Merge", "OSS", "Paimon", "QueryRunner", "Remote", "S3", "TimeSeries",
            "URL", "WindowView", "YTsaurus", "RabbitMQ", "NATS");

    /** A table engine's class; fails on a name no rule covers. */
    static FunctionClass engine(String name) {
        if (ENGINE_CACHEABLE.contains(name) || name.endsWith("MergeTree")) {
            return FunctionClass.TABLE_CACHEABLE;
        }
        for (String prefix : ENGINE_LIVE_PREFIXES) {
            if (name.startsWith(prefix)) {
                return FunctionClass.TABLE_LIVE;
            }
        }
        throw new IllegalStateException("table engine " + name + " has no rule in FunctionRules; classify it");
    }
}
