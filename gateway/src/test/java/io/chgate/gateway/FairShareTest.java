package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import io.chgate.testkit.LocalStack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One gateway user's slow statements cannot take every connection of the embedded engine: by default a user runs at
 * most half of them at once, the rest of its statements wait in its own queue, and another user is served at once.
 */
class FairShareTest {
    static final String SLOW = "SELECT sleepEachRow(0.5) FROM numbers(6) SETTINGS max_block_size = 1";

    @Test
    void bobsSlowStatementsDoNotStarveAlice() throws Exception {
        EmbeddedGateway g = new EmbeddedGateway(LocalStack.get()).user("alice", "alice-pw", List.of())
                .user("bob", "bob-pw", List.of());
        g.config.upstream.embedded.connections = 4;
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try (EmbeddedGateway gateway = g.start()) {
            List<Future<Response>> bobs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                bobs.add(clients.submit(() -> gateway.post("bob", SLOW)));
            }
            Thread.sleep(500);   // bob's statements are running (2) and queued (4)
            long start = System.nanoTime();
            Response alices = gateway.post("alice", "SELECT 1");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(alices.bodyText()).isEqualTo("1\n");
            assertThat(tookMillis).as("alice waited for bob's statements").isLessThan(2000);
            for (Future<Response> bob : bobs) {
                Response r = bob.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.bodyText()).isEqualTo(200);   // queued, not refused: all ran in turn
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void pastItsQueueAUserIsAnswered202() throws Exception {
        EmbeddedGateway g = new EmbeddedGateway(LocalStack.get()).user("carol", "carol-pw", List.of());
        g.config.users.get(0).maxConcurrentQueries = 1;
        g.config.users.get(0).maxQueueSize = 1;
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try (EmbeddedGateway gateway = g.start()) {
            List<Future<Response>> carols = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                carols.add(clients.submit(() -> gateway.post("carol", SLOW)));
                Thread.sleep(200);
            }
            List<Integer> statuses = new ArrayList<>();
            List<String> codes = new ArrayList<>();
            for (Future<Response> carol : carols) {
                Response r = carol.get(60, TimeUnit.SECONDS);
                statuses.add(r.status());
                codes.add(r.header("X-ClickHouse-Exception-Code"));
            }
            assertThat(statuses).containsExactly(200, 200, 500);
            assertThat(codes.get(2)).isEqualTo("202");
        } finally {
            clients.shutdownNow();
        }
    }
}
