package io.chgate.bench.jmh;

import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.InterceptedQuery;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.sql.CollectionResolver;
import io.chgate.sql.SqlRewriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** The rewriter's costs on the request path: a ~1 KB dashboard query with and without a reference, and a cache hit. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RewriterBenchmark {
    static final String DASHBOARD = """
            /* Metabase:: userID: 42 queryType: MBQL queryHash: 5f1c0e */
            SELECT toStartOfDay(o.created_at) AS day, c.segment AS segment,
                   count() AS orders, sum(o.amount) AS revenue, avg(o.amount) AS avg_order,
                   uniqExact(o.customer_id) AS customers,
                   sumIf(o.amount, o.status = 'refunded') AS refunded,
                   CASE WHEN sum(o.amount) > 10000 THEN 'high' WHEN sum(o.amount) > 1000 THEN 'mid' ELSE 'low' END AS band
            FROM analytics.customers AS c
            INNER JOIN %s AS o ON o.customer_id = c.id
            WHERE o.created_at >= toDateTime('2026-01-01 00:00:00') AND o.created_at < toDateTime('2026-11-01 00:00:00')
              AND c.country IN ('DE', 'FR', 'NL', 'BE', 'AT', 'CH') AND c.segment != 'internal'
              AND o.amount > 0 AND NOT match(c.email, '@example\\\\.com$')
            GROUP BY day, segment
            HAVING orders > 10
            ORDER BY day ASC, revenue DESC
            LIMIT 1000
            SETTINGS max_threads = 4, max_execution_time = 60
            FORMAT JSONCompact""";

    private final CollectionResolver resolver = new CollectionResolver(List.of(
            new CollectionResolver.Endpoint("postgresql", "pg.prod:5432", "shop", "shop_pg")));
    private String withReference;
    private String withoutReference;
    private char[] withReferenceChars;
    private RewritingInterceptor interceptor;
    /** An interceptor with an integration and its database: every check of a cache miss has something to look at. */
    private RewritingInterceptor withIntegration;
    /** The dashboard query reading the integration database, with a reference and a word the policy looks at. */
    private String everyCheck;
    private long unseen;

    @Setup
    public void setUp() {
        withReference = DASHBOARD.formatted("postgresql('pg.prod:5432', 'shop', 'orders', 'bi', 'secret')");
        withoutReference = DASHBOARD.formatted("analytics.orders");
        withReferenceChars = withReference.toCharArray();
        interceptor = new RewritingInterceptor(resolver, 1, 10_000);
        interceptor.intercept(new InterceptedQuery(withReference, "default", null, InterceptedQuery.Location.URL));
        GatewayConfig config = new GatewayConfig();
        GatewayConfig.Integration shop = new GatewayConfig.Integration();
        shop.name = "shop_pg";
        shop.source = "postgresql";
        shop.address = "pg.prod:5432";
        shop.database = "shop";
        shop.managedDatabase = "shop_db";
        shop.modes = List.of("managed_credentials", "managed_database");
        config.integrations.add(shop);
        withIntegration = RewritingInterceptor.fromConfig(config, 1);
        everyCheck = withReference.replace("analytics.customers", "shop_db.customers").replace("'internal'",
                "'default'");
    }

    @Benchmark
    public String rewriteOneReference() {
        return SqlRewriter.rewriteSql(withReference, resolver);
    }

    @Benchmark
    public String passThroughNoReference() {
        return SqlRewriter.rewriteSql(withoutReference, resolver);
    }

    /** A query without references as the gateway decides on it: every pre-check the interceptor runs. */
    @Benchmark
    public void interceptPassThrough(Blackhole bh) {
        bh.consume(interceptor.intercept(new InterceptedQuery(withoutReference, "default", null,
                InterceptedQuery.Location.URL)));
    }

    /**
     * A query seen for the first time, without references: the one-pass pre-scan the interceptor runs before it
     * caches the verdict, and the three separate pre-checks it replaced, side by side.
     */
    @Benchmark
    public boolean firstSightPrescan() {
        return io.chgate.sql.Prescan.mightNeedParse(withoutReference);
    }

    @Benchmark
    public boolean firstSightThreePreChecks() {
        return SqlRewriter.mightReference(withoutReference) || io.chgate.sql.StatementPolicy.mightRefuse(
                withoutReference) || io.chgate.sql.Lexer.mightBeTooDeep(withoutReference);
    }

    /** A query not seen before (a new comment each time), so decided in full: here only its reference is read. */
    @Benchmark
    public void interceptMissReference(Blackhole bh) {
        bh.consume(interceptor.intercept(new InterceptedQuery("/* " + unseen++ + " */ " + withReference, "default",
                null, InterceptedQuery.Location.URL)));
    }

    /**
     * A query not seen before that every check of a cache miss reads: the statement policy (a trigger word), the
     * integration databases (it reads one) and the rewriter (a reference).
     */
    @Benchmark
    public void interceptMissEveryCheck(Blackhole bh) {
        bh.consume(withIntegration.intercept(new InterceptedQuery("/* " + unseen++ + " */ " + everyCheck, "default",
                null, InterceptedQuery.Location.URL)));
    }

    /** A cache hit as the gateway sees it: each request's SQL is a new String, so its hash is computed afresh. */
    @Benchmark
    public void cacheHitNewString(Blackhole bh) {
        String sql = new String(withReferenceChars);
        bh.consume(interceptor.intercept(new InterceptedQuery(sql, "default", null, InterceptedQuery.Location.URL)));
    }

    public static void main(String[] args) throws Exception {
        var results = new org.openjdk.jmh.runner.Runner(new org.openjdk.jmh.runner.options.OptionsBuilder()
                .include(RewriterBenchmark.class.getSimpleName())
                .include(ResponsePathBenchmark.class.getSimpleName()).forks(1).warmupIterations(3)
                .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1)).measurementIterations(5)
                .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1)).build()).run();
        StringBuilder table = new StringBuilder("| benchmark | ns/op | ± error |\n|---|---|---|\n");
        for (var r : results) {
            var p = r.getPrimaryResult();
            table.append(String.format(java.util.Locale.ROOT, "| %s | %.0f | %.0f |%n",
                    r.getParams().getBenchmark().replaceAll(".*\\.", ""), p.getScore(), p.getScoreError()));
        }
        String out = "Request-path micro-benchmarks: the rewriter and the response path (JMH, 1 fork, 3x1 s warm-up, 5x1 s measured), "
                + io.chgate.bench.HttpLoad.machine() + "\n\n" + table;
        System.out.println(out);
        java.nio.file.Files.writeString(java.nio.file.Path.of(args.length > 0 ? args[0]
                : "benchmarks/results/jmh-latest.md"), out);
    }
}
