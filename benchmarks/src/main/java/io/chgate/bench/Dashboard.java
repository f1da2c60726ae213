package io.chgate.bench;

import java.util.List;

/**
 * The dashboard of the cache benchmark: ten SELECTs of different cost over {@code bench_cache.events} (5,000,000
 * rows, one MergeTree ordered by (event_date, id), 50,000 rows a day from 2026-09-01) and {@code bench_cache.users}
 * (100,000 rows), which benchmarks/run-cache creates. Written for ClickHouse 18.16; every literal is fixed (no
 * {@code today()}, nothing a cache must refuse), so one viewer's queries are the next one's.
 */
final class Dashboard {
    record Query(String name, String sql) {
    }

    static final List<Query> QUERIES = List.of(
            new Query("point lookup of an event", "SELECT id, user_id, kind, amount FROM bench_cache.events"
                    + " WHERE event_date = '2026-10-16' AND id = 2250123"),
            new Query("point lookup of a user", "SELECT name, country, signup_date FROM bench_cache.users"
                    + " WHERE user_id = 4242"),
            new Query("one day by hour", "SELECT toHour(ts) AS hour, count() AS events FROM bench_cache.events"
                    + " WHERE event_date = '2026-11-30' GROUP BY hour ORDER BY hour"),
            new Query("a month by kind", "SELECT kind, count() AS events, round(sum(amount), 2) AS revenue"
                    + " FROM bench_cache.events WHERE event_date BETWEEN '2026-11-01' AND '2026-11-30'"
                    + " GROUP BY kind ORDER BY kind"),
            new Query("daily events and users", "SELECT event_date, count() AS events, uniq(user_id) AS users"
                    + " FROM bench_cache.events WHERE event_date >= '2026-11-01' GROUP BY event_date ORDER BY event_date"),
            new Query("big purchases", "SELECT count() AS big_purchases, round(avg(amount), 2) AS average"
                    + " FROM bench_cache.events WHERE kind = 'purchase' AND amount > 900"),
            // Exact: quantiles() samples, and its answer is not the same twice.
            new Query("a month's amount quantiles by kind", "SELECT kind,"
                    + " quantilesExact(0.5, 0.9, 0.99)(amount) AS amount_quantiles FROM bench_cache.events"
                    + " WHERE event_date BETWEEN '2026-11-01' AND '2026-11-30' GROUP BY kind ORDER BY kind"),
            new Query("count distinct buyers", "SELECT uniqExact(user_id) AS active_users FROM bench_cache.events"
                    + " WHERE kind IN ('cart', 'purchase')"),
            new Query("top 10 buyers", "SELECT user_id, round(sum(amount), 2) AS total FROM bench_cache.events"
                    + " WHERE kind = 'purchase' GROUP BY user_id ORDER BY total DESC, user_id LIMIT 10"),
            new Query("revenue by country (join)", "SELECT country, count() AS purchases, round(sum(amount), 2) AS revenue"
                    + " FROM bench_cache.events ANY INNER JOIN bench_cache.users USING user_id"
                    + " WHERE kind = 'purchase' GROUP BY country ORDER BY revenue DESC"));

    private Dashboard() {
    }

    /**
     * The comment that starts every statement a target is sent in one window: ClickHouse 18.16 keeps it in
     * system.query_log's {@code query}, which is how the statements of that window are counted.
     */
    static String marker(String run, String window) {
        return "/* chgate-bench dashboard " + run + " " + window + " */ ";
    }

    /** The dashboard's requests for one window, each logged by ClickHouse ({@code log_queries=1}). */
    static List<byte[]> requests(String run, String window, String user, String password) {
        return QUERIES.stream()
                .map(q -> HttpLoad.request(marker(run, window) + q.sql(), "log_queries=1&", user, password))
                .toList();
    }
}
