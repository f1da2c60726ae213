package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Header;
import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.admin.AdminServer;
import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.observe.GatewayMetrics;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-user limits in front of the real ClickHouse 18.16 server, every gateway user mapped to the stack's ClickHouse
 * login: statements at once and their queue, requests per minute, max_execution_time (the statement killed upstream),
 * and each limit's metrics as /metrics shows them. ClickHouse's own system.processes is the witness of what runs.
 */
class UserLimitsTest {
    static LocalStack stack;
    static GatewayServer gateway;
    static AdminServer admin;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        Path passwordFile = StackLogin.passwordFile(stack);
        GatewayConfig config = new ConfigLoader(Map.of("CHGATE_UPSTREAM_URL", stack.clickhouseHttpUrl()))
                .flag("listen", "127.0.0.1:0", "test").load().config();
        config.adminListen = "127.0.0.1:0";
        config.limits.maxExecutionTime = Duration.ofSeconds(1);   // for users without their own
        user(config, passwordFile, "crowd", u -> {
            u.maxConcurrentQueries = 4;
            u.maxQueueSize = 30;
            u.maxQueueTime = Duration.ofSeconds(60);
            u.maxExecutionTime = Duration.ofSeconds(30);
        });
        user(config, passwordFile, "other", u -> u.maxExecutionTime = Duration.ofSeconds(30));
        user(config, passwordFile, "rated", u -> u.requestsPerMinute = 3);
        user(config, passwordFile, "hasty", u -> {
            u.maxConcurrentQueries = 1;
            u.maxQueueTime = Duration.ofMillis(300);
            u.maxExecutionTime = Duration.ofSeconds(30);
        });
        user(config, passwordFile, "bounded", u -> { });   // limits.max_execution_time: 1 s
        user(config, passwordFile, "patient", u -> u.maxExecutionTime = Duration.ofSeconds(10));
        GatewayMetrics metrics = new GatewayMetrics();
        gateway = GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1), metrics);
        admin = AdminServer.start(config, metrics, null, stack.clickhouseHttpUrl());
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    static void user(GatewayConfig config, Path passwordFile, String name,
            java.util.function.Consumer<GatewayConfig.User> limits) throws Exception {
        GatewayConfig.User u = StackLogin.user(stack, passwordFile, name);
        limits.accept(u);
        config.users.add(u);
    }

    static Response run(String user, String target) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.address().getPort())) {
            return c.exchange(RawHttp.request("GET", target, List.of(new Header("X-ClickHouse-User", user),
                    new Header("X-ClickHouse-Key", user + "-pw")), null), false);
        }
    }

    /** Statements whose text holds {@code marker} running in ClickHouse now, asked directly as its admin. */
    static int running(String marker) throws Exception {
        String sql = "SELECT count() FROM system.processes WHERE query LIKE '%" + marker + "%'"
                + " AND query NOT LIKE '%system.processes%'";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.clickhouseHttpUrl() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Integer.parseInt(r.body().strip());
    }

    static String metrics() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + admin.address().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** A sample's value in the metrics text, or -1 when it is absent. */
    static double sample(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    static double refusals(String metrics, String user, String reason) {
        return sample(metrics, "chgate_user_limit_refusals_total", "reason=\"" + reason + "\",user=\"" + user + "\"");
    }

    @Test
    void fiftyClientsOfOneUserRunFourAtATimeTheRestQueuedTheOverflowAnswered202() throws Exception {
        String marker = "crowd-" + UUID.randomUUID();
        String slow = q("SELECT sleep(1.5), '" + marker + "'");
        ExecutorService clients = Executors.newFixedThreadPool(51);
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        try {
            Future<?> sampler = clients.submit(() -> {
                while (sampling.get()) {
                    mostRunning.accumulateAndGet(running(marker), Math::max);
                    Thread.sleep(50);
                }
                return null;
            });
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> crowd = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                crowd.add(clients.submit(() -> {
                    go.await();
                    return run("crowd", slow);
                }));
            }
            go.countDown();
            // All 50 are in well before the first statement ends: 4 running, 30 queued, 16 refused.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200);
            while (sample(metrics(), "chgate_user_queue_length", "user=\"crowd\"") < 30
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(sample(metrics(), "chgate_user_queue_length", "user=\"crowd\"")).isEqualTo(30);
            long start = System.nanoTime();
            Response others = run("other", q("SELECT 1"));
            assertThat(others.bodyText()).isEqualTo("1\n");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("the other user waited")
                    .isLessThan(1000);

            int ok = 0;
            int tooMany = 0;
            for (Future<Response> f : crowd) {
                Response r = f.get(60, TimeUnit.SECONDS);
                if (r.status() == 200) {
                    ok++;
                } else {
                    assertThat(r.status()).as(r.bodyText()).isEqualTo(500);
                    assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("202");
                    assertThat(r.bodyText()).startsWith("Code: 202. DB::Exception: chgate: too many simultaneous"
                            + " queries of user crowd: its queue is full");
                    tooMany++;
                }
            }
            sampling.set(false);
            sampler.get(10, TimeUnit.SECONDS);
            assertThat(ok).isEqualTo(34);
            assertThat(tooMany).isEqualTo(16);
            assertThat(mostRunning.get()).as("statements of crowd running in ClickHouse at once").isEqualTo(4);

            String after = metrics();
            assertThat(refusals(after, "crowd", "queue_full")).isEqualTo(16);
            assertThat(sample(after, "chgate_user_queue_length", "user=\"crowd\"")).isZero();
            assertThat(sample(after, "chgate_user_queue_wait_seconds_count", "user=\"crowd\"")).isEqualTo(34);
            // The last ones waited their turn behind at least seven rounds of 1.5-second statements.
            assertThat(sample(after, "chgate_user_queue_wait_seconds_bucket", "user=\"crowd\",le=\"5.0\""))
                    .isLessThan(34);
        } finally {
            sampling.set(false);
            clients.shutdownNow();
        }
    }

    @Test
    void pastItsRequestsPerMinuteAUserIsAnswered201AndOthersAreNot() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(run("rated", q("SELECT " + i)).bodyText()).isEqualTo(i + "\n");
        }
        Response refused = run("rated", q("SELECT 3"));
        assertThat(refused.status()).isEqualTo(500);   // ClickHouse's status for QUOTA_EXCEEDED
        assertThat(refused.header("X-ClickHouse-Exception-Code")).isEqualTo("201");
        assertThat(refused.bodyText()).startsWith("Code: 201. DB::Exception: chgate: quota for user rated for 1 minute"
                + " has been exceeded: more than 3 requests (users[].requests_per_minute)");
        assertThat(run("other", q("SELECT 4")).bodyText()).isEqualTo("4\n");
        assertThat(refusals(metrics(), "rated", "rate")).isEqualTo(1);
    }

    @Test
    void aStatementWaitingPastMaxQueueTimeIsAnswered202() throws Exception {
        String marker = "hasty-" + UUID.randomUUID();
        ExecutorService clients = Executors.newFixedThreadPool(1);
        try {
            Future<Response> first = clients.submit(() -> run("hasty", q("SELECT sleep(1), '" + marker + "'")));
            while (running(marker) == 0) {
                Thread.sleep(20);
            }
            long start = System.nanoTime();
            Response second = run("hasty", q("SELECT 1"));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(second.header("X-ClickHouse-Exception-Code")).isEqualTo("202");
            assertThat(second.bodyText()).contains("it waited longer than users[].max_queue_time");
            assertThat(waited).isBetween(250L, 900L);
            assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        } finally {
            clients.shutdownNow();
        }
        String metrics = metrics();
        assertThat(refusals(metrics, "hasty", "queue_timeout")).isEqualTo(1);
        assertThat(refusals(metrics, "hasty", "queue_full")).isZero();
    }

    @Test
    void aStatementPastMaxExecutionTimeIsKilledUpstreamAndAnswered159() throws Exception {
        for (String queryId : new String[] {null, "client-chose-" + UUID.randomUUID()}) {
            String marker = "bounded-" + UUID.randomUUID();
            String target = q("SELECT sleep(0.5), '" + marker + "' FROM numbers(20) SETTINGS max_block_size = 1")
                    + (queryId == null ? "" : "&query_id=" + queryId);
            long start = System.nanoTime();
            Response r = run("bounded", target);
            long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(r.status()).as(r.bodyText()).isEqualTo(408);
            assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("159");
            assertThat(r.bodyText()).startsWith("Code: 159. DB::Exception: chgate: timeout exceeded: the statement ran"
                    + " longer than max_execution_time (1000 ms) and was cancelled");
            assertThat(answeredMillis).isBetween(950L, 1500L);
            while (running(marker) > 0) {
                Thread.sleep(20);
            }
            long goneMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(goneMillis).as("gone from system.processes (the limit is 1000 ms)").isLessThan(2000);
        }
        assertThat(refusals(metrics(), "bounded", "execution_time")).isEqualTo(2);
    }

    @Test
    void aUsersOwnMaxExecutionTimeOverridesTheDefault() throws Exception {
        Response r = run("patient", q("SELECT sleep(0.5) FROM numbers(3) SETTINGS max_block_size = 1"));
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("0\n0\n0\n");
        assertThat(refusals(metrics(), "patient", "execution_time")).isZero();
    }
}
