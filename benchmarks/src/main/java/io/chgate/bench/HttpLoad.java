package io.chgate.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Load benchmark: the same requests against ClickHouse directly and through chgate, in one run, so the ratio is
 * measured on the same machine under the same conditions. Each client thread holds one keep-alive connection and
 * sends requests back to back (closed loop).
 *
 * <pre>java -cp ... io.chgate.bench.HttpLoad DIRECT_URL GATEWAY_URL [seconds-per-point] [report.md]</pre>
 */
public final class HttpLoad {

    record Point(String target, int concurrency, long requests, double seconds, Histogram latencyMicros,
            long failures) {
        double rps() {
            return requests / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("--point")) {
            // One target, one concurrency: for profiling a single side.
            Point p = run(URI.create(args[1]), request("SELECT 1"), Integer.parseInt(args[2]),
                    Double.parseDouble(args[3]));
            System.out.printf(Locale.ROOT, "%s c=%d %.0f rps (%d requests) p50 %.0fµs p99 %.0fµs%n", p.target(),
                    p.concurrency(), p.rps(), p.requests(), p(p, 50), p(p, 99));
            return;
        }
        if (args.length < 2) {
            System.err.println("usage: HttpLoad DIRECT_URL GATEWAY_URL [seconds-per-point] [report.md] [PEER_URL]\n"
                    + "       HttpLoad --point URL CONCURRENCY SECONDS");
            System.exit(2);
        }
        URI direct = URI.create(args[0]);
        URI gateway = URI.create(args[1]);
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        Path report = args.length > 3 ? Path.of(args[3]) : null;
        // A reverse proxy that does nothing but forward (nginx): the floor any proxy pays on this machine.
        URI peer = args.length > 4 ? URI.create(args[4]) : null;
        List<URI> targets = peer == null ? List.of(direct, gateway) : List.of(direct, gateway, peer);

        byte[] select1 = request("SELECT 1");
        StringBuilder table = new StringBuilder();
        table.append(peer == null
                ? "| test | concurrency | direct | through chgate | ratio |\n|---|---|---|---|---|\n"
                : "| test | concurrency | direct | through chgate | ratio | through nginx | ratio |\n"
                        + "|---|---|---|---|---|---|---|\n");
        for (int concurrency : new int[] {1, 16, 64, 256, 1024}) {
            List<byte[]> requests = targets.stream().map(t -> select1).toList();
            selectPoint(table, "SELECT 1", targets, requests, concurrency, seconds);
        }
        // The same through a gateway that authenticates its own users (chgate with users: the login checked, the
        // request sent on as the user's ClickHouse login); directly and through nginx, that ClickHouse login.
        String gatewayAuth = System.getenv("BENCH_GATEWAY_AUTH_URL");
        if (gatewayAuth != null) {
            List<URI> authTargets = new ArrayList<>(targets);
            authTargets.set(1, URI.create(gatewayAuth));
            byte[] asClickHouse = request("SELECT 1", System.getenv("BENCH_CLICKHOUSE_USER"),
                    System.getenv("BENCH_CLICKHOUSE_PASSWORD"));
            byte[] asGatewayUser = request("SELECT 1", System.getenv("BENCH_GATEWAY_USER"),
                    System.getenv("BENCH_GATEWAY_PASSWORD"));
            List<byte[]> requests = new ArrayList<>();
            for (int t = 0; t < authTargets.size(); t++) {
                requests.add(t == 1 ? asGatewayUser : asClickHouse);
            }
            for (int concurrency : new int[] {16, 64}) {
                selectPoint(table, "authenticated SELECT 1", authTargets, requests, concurrency, seconds);
            }
            // The same user through a chgate whose limits stage holds limits far above the load (concurrency, queue,
            // requests per minute): compared with the row above, what the limits stage costs.
            String limited = System.getenv("BENCH_GATEWAY_LIMITED_URL");
            if (limited != null) {
                List<URI> limitedTargets = new ArrayList<>(authTargets);
                limitedTargets.set(1, URI.create(limited));
                for (int concurrency : new int[] {16, 64}) {
                    selectPoint(table, "authenticated SELECT 1, limits far above the load", limitedTargets, requests,
                            concurrency, seconds);
                }
            }
        }
        // A query that reads MariaDB through mysql(): sent directly and through nginx with the password inline, and
        // through a chgate that writes the credentials it holds from Vault into it (inline, as for a server without
        // named collections), the client sending none.
        String rewriting = System.getenv("BENCH_REWRITE_URL");
        if (rewriting != null) {
            List<URI> rewriteTargets = new ArrayList<>(targets);
            rewriteTargets.set(1, URI.create(rewriting));
            String source = "mysql('" + System.getenv("BENCH_MYSQL_ADDRESS") + "', 'shop', 'orders', ";
            byte[] inline = request("SELECT count() FROM " + source + "'" + System.getenv("BENCH_MYSQL_USER") + "', '"
                    + System.getenv("BENCH_MYSQL_PASSWORD") + "')");
            byte[] withoutPassword = request("SELECT count() FROM " + source + "'bi_dashboard', '')");
            List<byte[]> requests = new ArrayList<>();
            for (int t = 0; t < rewriteTargets.size(); t++) {
                requests.add(t == 1 ? withoutPassword : inline);
            }
            for (int concurrency : new int[] {1, 16}) {
                selectPoint(table, "mysql() rewritten", rewriteTargets, requests, concurrency, seconds);
            }
        }
        byte[] large = request("SELECT number, toString(number * 7) FROM system.numbers LIMIT 20000000");
        double[] best = new double[targets.size()];
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < targets.size(); t++) {
                best[t] = Math.max(best[t], throughput(targets.get(t), large));
            }
        }
        table.append(row("large result MB/s (best of 3, ~380 MB)", 1, best));
        // A 300 MB TSV INSERT into a Null table (parsed, not stored) through each path, best of three like the large
        // result (one run moves by ±5%), with the peak RSS of the proxy over all three (sampled from /proc every
        // 20 ms): the body must pass, not pile up.
        long[] pids = {0, pidFromEnv("CHGATE_PID"), pidFromEnv("NGINX_PID")};
        double[] insert = new double[targets.size()];
        long[] before = new long[targets.size()];
        long[] peak = new long[targets.size()];
        for (int t = 0; t < targets.size(); t++) {
            long pid = pids[Math.min(t, pids.length - 1)];
            before[t] = pid > 0 ? rssKib(pid) : 0;
            peak[t] = before[t];
        }
        for (int round = 0; round < 3; round++) {
            for (int t = 0; t < targets.size(); t++) {
                long pid = pids[Math.min(t, pids.length - 1)];
                int target = t;
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted() && pid > 0) {
                        peak[target] = Math.max(peak[target], rssKib(pid));
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.setDaemon(true);
                sampler.start();
                insert[t] = Math.max(insert[t], insertThroughput(targets.get(t), 300));
                sampler.interrupt();
                sampler.join();
            }
        }
        String rss = "";
        for (int t = 1; t < targets.size(); t++) {
            if (pids[Math.min(t, pids.length - 1)] > 0) {
                rss += String.format(Locale.ROOT, "%s%s RSS %d MiB before, %d MiB peak (%.2fx)", rss.isEmpty() ? "" : "; ",
                        t == 1 ? "chgate" : "nginx", before[t] / 1024, peak[t] / 1024, peak[t] / (double) before[t]);
            }
        }
        table.append(row("INSERT 300 MB TSV MB/s (best of 3)", 1, insert));
        if (!rss.isEmpty()) {
            table.append("\nDuring the INSERT: ").append(rss).append(".\n");
        }
        String machine = machine();
        String out = "Load benchmark, " + machine + "\n\n" + table;
        System.out.println(out);
        if (report != null) {
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, out);
        }
    }

    /** Warms every path (JIT, connection pools), then measures them back to back at one concurrency. */
    private static void selectPoint(StringBuilder table, String name, List<URI> targets, List<byte[]> requests,
            int concurrency, double seconds) throws InterruptedException {
        for (int t = 0; t < targets.size(); t++) {
            // Five seconds: a path seen for the first time (the rewrite's) is still being compiled after two.
            run(targets.get(t), requests.get(t), concurrency, Math.min(5, seconds));
        }
        List<Point> points = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            points.add(run(targets.get(t), requests.get(t), concurrency, seconds));
        }
        table.append(row(name + " requests/s", concurrency, points.stream().mapToDouble(Point::rps).toArray()));
        table.append(row(name + " p50 latency µs", concurrency, points.stream().mapToDouble(pt -> p(pt, 50)).toArray()));
        table.append(row(name + " p99 latency µs", concurrency, points.stream().mapToDouble(pt -> p(pt, 99)).toArray()));
        if (concurrency >= 256) {
            table.append(String.format(Locale.ROOT, "| %s failed connections | %d | %s |%n", name, concurrency,
                    String.join(" | ", points.stream().map(pt -> Long.toString(pt.failures())).toList())));
        }
        StringBuilder line = new StringBuilder(name + " c=" + concurrency);
        for (Point pt : points) {
            line.append(String.format(Locale.ROOT, " | %s %.0f rps p50 %.0fµs", pt.target(), pt.rps(), p(pt, 50)));
        }
        System.err.println(line);
    }

    private static double p(Point point, double percentile) {
        return point.latencyMicros().getValueAtPercentile(percentile);
    }

    /** One table row: the direct figure, then each proxied figure with its ratio to direct. */
    private static String row(String name, int concurrency, double[] values) {
        double direct = values[0];
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %.0f |", name, concurrency, direct));
        for (int i = 1; i < values.length; i++) {
            row.append(String.format(Locale.ROOT, " %.0f | %.2f |", values[i], values[i] / direct));
        }
        return row.append('\n').toString();
    }

    static byte[] request(String sql) {
        return request(sql, null, null);
    }

    static byte[] request(String sql, String user, String password) {
        return request(sql, "", user, password);
    }

    /**
     * A GET with the query in the URL after {@code parameters} (each {@code name=value&}), and a login in ClickHouse's
     * headers when a user is given.
     */
    static byte[] request(String sql, String parameters, String user, String password) {
        String target = "/?" + parameters + "query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8).replace("+", "%20");
        String login = user == null ? "" : "X-ClickHouse-User: " + user + "\r\nX-ClickHouse-Key: " + password + "\r\n";
        return ("GET " + target + " HTTP/1.1\r\nHost: bench\r\n" + login + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    static Point run(URI target, byte[] request, int concurrency, double seconds) throws InterruptedException {
        ClosedLoop.Result r = ClosedLoop.run(target, List.of(request), concurrency, seconds);
        return new Point(r.target(), concurrency, r.requests(), r.seconds(), r.latencyMicros(),
                r.errors() + r.failedConnections());
    }

    static double throughput(URI target, byte[] request) throws IOException {
        try (HttpConnection c = new HttpConnection(target)) {
            long start = System.nanoTime();
            long[] bytes = new long[1];
            c.exchange(request, bytes);
            return bytes[0] / 1e6 / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static long pidFromEnv(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
    }

    /** The process's resident set in KiB, from /proc (0 when it cannot be read). */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** MB/s of an INSERT of {@code megabytes} MB of TSV rows, streamed from one repeated 1 MB piece. */
    static double insertThroughput(URI target, int megabytes) throws IOException {
        StringBuilder rows = new StringBuilder(1 << 20);
        for (int i = 0; rows.length() < (1 << 20) - 64; i++) {
            rows.append(i).append('\t').append("row-").append(i * 7).append('\n');
        }
        byte[] piece = rows.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long length = (long) piece.length * megabytes;
        String head = "POST /?query=INSERT%20INTO%20default.bench_insert%20FORMAT%20TSV HTTP/1.1\r\nHost: "
                + target.getHost() + "\r\nContent-Length: " + length + "\r\n\r\n";
        try (Socket socket = new Socket(target.getHost(), target.getPort())) {
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int i = 0; i < megabytes; i++) {
                out.write(piece);
            }
            out.flush();
            String status = new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!status.contains(" 200")) {
                throw new IOException("INSERT through " + target + " answered " + status);
            }
            return length / 1e6 / seconds;
        }
    }

    public static String machine() {
        return Machine.describe() + "; load generator, chgate and ClickHouse share the machine"
                + "; chgate with one event loop, nginx with one worker";
    }
}
