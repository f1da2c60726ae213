package io.chgate.bench;

import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The markdown report of {@link DashboardLoad}: per target, the cache's answers, the two targets, per query. */
record DashboardReport(String machine, double seconds, double warmUp, String run, boolean cacheConfigured,
        List<DashboardLoad.Measured> measured, ClosedLoop.Result passThrough, DashboardLoad.Check check) {
    private static final double RPS_TARGET = 10;

    String markdown() {
        StringBuilder md = new StringBuilder("# Dashboard benchmark: the response cache (issue 23)\n\n");
        md.append(machine).append("; load generator, chgate and ClickHouse 18.16 share the machine;")
                .append(" chgate with one event loop.\n")
                .append(String.format(Locale.ROOT, "%d virtual users, each replaying the dashboard's %d queries in"
                        + " order on one keep-alive connection, %.0f s per target, after a check pass and a %.0f s"
                        + " warm-up with other query texts (so the cached target's window starts cold). Run `%s`.%n%n",
                        DashboardLoad.USERS, Dashboard.QUERIES.size(), seconds, warmUp, run));
        if (!cacheConfigured) {
            md.append("> **No cache in this run**: the \"").append(cached().target().title())
                    .append("\" target was a chgate started without `caches`/`cache` (BENCH_CACHE=off): its row is")
                    .append(" chgate without a cache and the targets below do not measure a cache.\n\n");
        }
        targets(md);
        cacheAnswers(md);
        md.append(String.format(Locale.ROOT, "%nPass-through `SELECT 1` through chgate without cache (gateway user,"
                + " %d users, %.0f s): %.0f requests/s, p50 %.0f µs, p99 %.0f µs, %d errors.%n",
                passThrough.users(), seconds, passThrough.rps(), passThrough.p(50), passThrough.p(99),
                passThrough.errors() + passThrough.failedConnections()));
        goals(md);
        perQuery(md);
        md.append("\nCheck pass (each query twice per target, every answer compared by length with the first direct")
                .append(" one): ")
                .append(check.differences().isEmpty() ? "the same on all targets.\n"
                        : "**differences**: " + String.join("; ", check.differences().stream().limit(5).toList())
                                + (check.differences().size() > 5 ? "; and " + (check.differences().size() - 5)
                                        + " more" : "") + ".\n");
        return md.toString();
    }

    private void targets(StringBuilder md) {
        ClosedLoop.Result direct = measured.get(0).result();
        md.append("| target | requests/s | × direct | p50 µs | × direct | p99 µs | × direct | errors |")
                .append(" failed connections | statements ClickHouse ran | answers per statement |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (DashboardLoad.Measured m : measured) {
            ClosedLoop.Result r = m.result();
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.0f | %.2f | %.0f | %.2f | %d | %d | %d | %s |%n",
                    m.target().title(), r.rps(), r.rps() / direct.rps(), r.p(50), r.p(50) / direct.p(50), r.p(99),
                    r.p(99) / direct.p(99), r.errors(), r.failedConnections(), m.statements(),
                    m.statements() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.requests() / (double) m.statements())));
        }
    }

    private void cacheAnswers(StringBuilder md) {
        ClosedLoop.Result r = cached().result();
        md.append("\n`X-Cache` of the cached target's answers: ");
        if (r.perCacheStatus().isEmpty()) {
            md.append("none carried the header.\n");
            return;
        }
        long withHeader = 0;
        StringBuilder parts = new StringBuilder();
        for (var e : r.perCacheStatus().entrySet()) {
            Histogram h = e.getValue();
            withHeader += h.getTotalCount();
            parts.append(parts.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %d (p50 %d µs, p99 %d µs)",
                    e.getKey(), h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99)));
        }
        md.append(parts).append(String.format(Locale.ROOT, "; without the header %d.%n", r.requests() - withHeader));
    }

    private void goals(StringBuilder md) {
        ClosedLoop.Result direct = measured.get(0).result();
        ClosedLoop.Result withCache = cached().result();
        double ratio = withCache.rps() / direct.rps();
        md.append("\n## The issue's targets\n\n").append(String.format(Locale.ROOT,
                "- With the cache ≥ %.0f× direct's requests/s: %.0f / %.0f = %.2f× → **%s**%n", RPS_TARGET,
                withCache.rps(), direct.rps(), ratio, ratio >= RPS_TARGET ? "met" : "not met"));
        Histogram hits = withCache.perCacheStatus().get("HIT");
        double select1 = passThrough.p(50);
        if (hits == null || hits.getTotalCount() == 0) {
            md.append(String.format(Locale.ROOT, "- A hit's p50 ≤ pass-through `SELECT 1`'s p50 (%.0f µs): no answer"
                    + " was a hit → **not met** (not measured)%n", select1));
        } else {
            long hit = hits.getValueAtPercentile(50);
            md.append(String.format(Locale.ROOT, "- A hit's p50 ≤ pass-through `SELECT 1`'s p50: %d µs vs %.0f µs"
                    + " → **%s**%n", hit, select1, hit <= select1 ? "met" : "not met"));
        }
        if (!cacheConfigured) {
            md.append("- (no cache in this run: not a measurement of the cache)\n");
        }
    }

    private void perQuery(StringBuilder md) {
        md.append("\n## Per query, p50 µs (p99 µs)\n\n| # | query |");
        measured.forEach(m -> md.append(' ').append(m.target().title()).append(" |"));
        md.append(" X-Cache of its second check answer |\n|---|---|").append("---|".repeat(measured.size() + 1))
                .append('\n');
        for (int q = 0; q < Dashboard.QUERIES.size(); q++) {
            md.append("| ").append(q + 1).append(" | ").append(Dashboard.QUERIES.get(q).name()).append(" |");
            for (DashboardLoad.Measured m : measured) {
                Histogram h = m.result().perRequest().get(q);
                md.append(String.format(Locale.ROOT, " %d (%d) |", h.getValueAtPercentile(50), h.getValueAtPercentile(99)));
            }
            String cacheStatus = check.secondCacheStatus().get(q);
            md.append(' ').append(cacheStatus == null ? "(none)" : cacheStatus).append(" |\n");
        }
    }

    private DashboardLoad.Measured cached() {
        return measured.get(measured.size() - 1);
    }
}
