package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.ClickHouseNode;
import io.chgate.testkit.LocalStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * chgate in front of three ClickHouse 18.16 server processes: requests spread over the nodes; one node killed
 * (SIGKILL) mid-workload costs no client a single error; restarted, it is checked back in and takes requests again;
 * a session stays on its node.
 */
class UpstreamNodesTest {
    static String ask(HttpClient http, int port, String query, String session) throws Exception {
        String uri = "http://127.0.0.1:" + port + "/?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + (session == null ? "" : "&session_id=" + session);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(
                30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.statusCode() + ": " + response.body().strip());
        }
        return response.body().strip();
    }

    @Test
    void aNodeKilledMidWorkloadCostsNoClientAnErrorAndRejoinsWhenBack() throws Exception {
        LocalStack stack = LocalStack.get();
        List<ClickHouseNode> nodes = List.of(new ClickHouseNode(stack, 18141, 19141), new ClickHouseNode(stack, 18142,
                19142), new ClickHouseNode(stack, 18143, 19143));
        HttpClient direct = HttpClient.newHttpClient();
        try {
            for (int i = 0; i < nodes.size(); i++) {
                nodes.get(i).start();
                for (String ddl : List.of("DROP TABLE IF EXISTS default.whoami",
                        "CREATE TABLE default.whoami (n UInt8) ENGINE = TinyLog",
                        "INSERT INTO default.whoami VALUES (" + (i + 1) + ")")) {
                    direct.send(HttpRequest.newBuilder(URI.create(nodes.get(i).url() + "/")).POST(HttpRequest
                            .BodyPublishers.ofString(ddl)).build(), HttpResponse.BodyHandlers.ofString());
                }
            }
            GatewayConfig config = EmbeddedGateway.config(Map.of());
            config.upstream.url = nodes.get(0).url();
            config.upstream.nodes = nodes.stream().map(ClickHouseNode::url).toList();
            config.upstream.healthCheckInterval = Duration.ofMillis(300);
            try (GatewayServer server = GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1))) {
                int port = server.address().getPort();
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                Map<String, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
                List<String> errors = new CopyOnWriteArrayList<>();
                AtomicBoolean afterRestart = new AtomicBoolean();
                AtomicInteger secondAfterRestart = new AtomicInteger();
                long end = System.nanoTime() + Duration.ofSeconds(9).toNanos();
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    Thread t = new Thread(() -> {
                        while (System.nanoTime() < end) {
                            try {
                                String node = ask(http, port, "SELECT n FROM default.whoami", null);
                                answeredBy.computeIfAbsent(node, k -> new AtomicInteger()).incrementAndGet();
                                if (node.equals("2") && afterRestart.get()) {
                                    secondAfterRestart.incrementAndGet();
                                }
                            } catch (Exception e) {
                                errors.add(e.getMessage());
                            }
                        }
                    });
                    t.start();
                    clients.add(t);
                }
                Thread.sleep(2000);
                nodes.get(1).kill();
                Thread.sleep(2500);
                nodes.get(1).start();
                afterRestart.set(true);
                for (Thread t : clients) {
                    t.join();
                }
                assertThat(errors).as("client errors while a node died and came back").isEmpty();
                assertThat(answeredBy.keySet()).containsExactlyInAnyOrder("1", "2", "3");
                assertThat(secondAfterRestart.get()).as("requests the restarted node took").isPositive();
                assertThat(server.upstreams().nodes()).allMatch(n -> n.healthy());

                // a session stays on one node: its temporary table is there on every later request
                ask(http, port, "CREATE TEMPORARY TABLE mine (x UInt8) ENGINE = Memory", "s-affinity");
                String home = ask(http, port, "SELECT n FROM default.whoami", "s-affinity");
                for (int i = 0; i < 20; i++) {
                    assertThat(ask(http, port, "SELECT n FROM default.whoami", "s-affinity")).isEqualTo(home);
                    assertThat(ask(http, port, "SELECT count() FROM mine", "s-affinity")).isEqualTo("0");
                }
            }
        } finally {
            nodes.forEach(ClickHouseNode::close);
        }
    }
}
