package io.chgate.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The response cache's benchmark (issue 23): 50 virtual users each replay the {@link Dashboard}'s ten queries in
 * order, over and over, against ClickHouse directly, chgate without a cache and chgate whose user has the cache, one
 * target after the other; then {@code SELECT 1} through chgate without a cache, the pass-through a cache hit is held
 * against. Each target gets a check pass and a warm-up with other query texts (other comments), so its measured window
 * starts with a cold cache and its statements in system.query_log are its window's alone.
 *
 * <pre>java -cp ... io.chgate.bench.DashboardLoad [seconds-per-target] [report.md]</pre>
 * Environment: BENCH_DIRECT_URL, BENCH_CLICKHOUSE_USER, BENCH_CLICKHOUSE_PASSWORD (ClickHouse and its login, also
 * used to count statements); BENCH_GATEWAY_URL (chgate without cache), BENCH_CACHED_URL (chgate with the cache),
 * BENCH_GATEWAY_USER, BENCH_GATEWAY_PASSWORD (the gateway user of both); BENCH_CACHE_CONFIGURED=0 when the second
 * chgate was started without a cache (the report then says its row is no cache measurement).
 */
public final class DashboardLoad {
    static final int USERS = 50;

    record Target(String window, String title, URI url, String user, String password) {
        List<byte[]> dashboard(String run, String suffix) {
            return Dashboard.requests(run, window + suffix, user, password);
        }
    }

    record Measured(Target target, ClosedLoop.Result result, long statements) {
    }

    /**
     * What the check pass found: answers whose length differs from the direct one, and the {@code X-Cache} header of
     * the last target's second answer to each query (null without one).
     */
    record Check(List<String> differences, List<String> secondCacheStatus) {
    }

    private DashboardLoad() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
        Path report = args.length > 1 ? Path.of(args[1]) : null;
        double warmUp = Math.min(5, seconds);
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String gatewayUser = env("BENCH_GATEWAY_USER");
        String gatewayPassword = env("BENCH_GATEWAY_PASSWORD");
        Target direct = new Target("direct", "ClickHouse directly", URI.create(env("BENCH_DIRECT_URL")),
                env("BENCH_CLICKHOUSE_USER"), env("BENCH_CLICKHOUSE_PASSWORD"));
        Target gateway = new Target("chgate", "chgate, no cache", URI.create(env("BENCH_GATEWAY_URL")), gatewayUser,
                gatewayPassword);
        Target cached = new Target("chgate-cache", "chgate, cache `dashboards`", URI.create(env("BENCH_CACHED_URL")),
                gatewayUser, gatewayPassword);
        boolean cacheConfigured = !"0".equals(System.getenv("BENCH_CACHE_CONFIGURED"));
        List<Target> targets = List.of(direct, gateway, cached);

        Check check = check(run, targets);
        List<ClosedLoop.Result> results = new ArrayList<>();
        for (Target t : targets) {
            ClosedLoop.run(t.url(), t.dashboard(run, "-warmup"), USERS, warmUp);
            ClosedLoop.Result r = ClosedLoop.run(t.url(), t.dashboard(run, ""), USERS, seconds);
            System.err.printf(Locale.ROOT, "%s: %.0f requests/s, p50 %.0fµs, p99 %.0fµs, %d errors%n", t.title(),
                    r.rps(), r.p(50), r.p(99), r.errors());
            results.add(r);
        }
        List<byte[]> select1 = List.of(HttpLoad.request("SELECT 1", gatewayUser, gatewayPassword));
        ClosedLoop.run(gateway.url(), select1, USERS, warmUp);
        ClosedLoop.Result passThrough = ClosedLoop.run(gateway.url(), select1, USERS, seconds);

        QueryLogCount queryLog = new QueryLogCount(direct.url(), direct.user(), direct.password());
        queryLog.flush();
        List<Measured> measured = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            measured.add(new Measured(targets.get(i), results.get(i),
                    queryLog.statements(run, targets.get(i).window())));
        }
        String out = new DashboardReport(Machine.describe(), seconds, warmUp, run, cacheConfigured, measured,
                passThrough, check).markdown();
        System.out.println(out);
        if (report != null) {
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, out);
        }
    }

    /**
     * Sends each query twice to each target (the second time a cache has it): every answer must be a 200 (else the
     * run stops, with the server's message).
     */
    private static Check check(String run, List<Target> targets) throws IOException {
        long[] direct = new long[Dashboard.QUERIES.size()];
        List<String> differences = new ArrayList<>();
        List<String> secondCacheStatus = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            Target target = targets.get(t);
            List<byte[]> requests = target.dashboard(run, "-check");
            try (HttpConnection c = new HttpConnection(target.url())) {
                for (int pass = 1; pass <= 2; pass++) {
                    for (int q = 0; q < requests.size(); q++) {
                        String query = Dashboard.QUERIES.get(q).name();
                        HttpConnection.Response r = c.exchange(requests.get(q));
                        if (r.status() != 200) {
                            throw new IOException(target.title() + ", \"" + query + "\": " + r.status() + " "
                                    + r.errorText());
                        }
                        if (t == targets.size() - 1 && pass == 2) {
                            secondCacheStatus.add(r.cacheStatus());
                        }
                        if (t == 0 && pass == 1) {
                            direct[q] = r.bodyBytes();
                        } else if (r.bodyBytes() != direct[q]) {
                            differences.add(String.format(Locale.ROOT, "%s, \"%s\", pass %d (X-Cache %s): %d bytes,"
                                    + " directly %d", target.title(), query, pass, r.cacheStatus(), r.bodyBytes(),
                                    direct[q]));
                        }
                    }
                }
            }
        }
        return new Check(differences, secondCacheStatus);
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("DashboardLoad: environment variable " + name + " is not set");
        }
        return value;
    }
}
