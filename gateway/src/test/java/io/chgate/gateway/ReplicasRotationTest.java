package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.testkit.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two chgate replicas over the same two ClickHouse 26 nodes and the same Vault, both rotating one dynamic PostgreSQL
 * credential on a 6 s lease (each user is VALID UNTIL its lease end) while clients query through both: no query
 * fails, each node ends with one collection holding a working login, and Vault is asked for credentials a bounded
 * number of times (counted in OpenBao's audit log).
 */
class ReplicasRotationTest {
    @TempDir
    Path dir;

    @Test
    void twoReplicasRotatingOneDynamicCredentialNeverFailAQuery() throws Exception {
        LocalStack stack = LocalStack.get();
        stack.vault().configureDatabaseRoles();
        try (EngineNode first = new EngineNode(dir.resolve("n1")).start();
                EngineNode second = new EngineNode(dir.resolve("n2")).start()) {
            List<EngineNode> engines = List.of(first, second);
            Path file = dir.resolve("chgate.yaml");
            Files.writeString(file, "admin:\n  user: chgate_admin\n  password_file: " + EngineNode.adminPasswordFile()
                    + "\nupstream:\n  engine_key_file: " + EngineNode.keyFile() + "\n  url: " + first.url() + "\n  nodes: [" + first.url() + ", " + second.url()
                    + "]\nlisten: 127.0.0.1:0\nvault:\n  address: " + stack.vaultAddr() + "\n"
                    + "integrations:\n  - name: rep_pg\n    source: postgresql\n    address: '127.0.0.1:"
                    + stack.pgPort() + "'\n    database: shop\n"
                    + "    credentials: { database_role: { mount: database, role: shop_pg_short } }\n");
            long auditBefore = Files.readAllLines(stack.vaultAuditLog()).size();
            String query = "SELECT count() FROM postgresql('127.0.0.1:" + stack.pgPort() + "', 'shop', 'orders', 'bi',"
                    + " '')";
            List<String> failures = new CopyOnWriteArrayList<>();
            AtomicInteger answered = new AtomicInteger();
            long seconds = 24;
            Map<String, String> env = Map.of("CHGATE_VAULT_TOKEN", stack.vaultToken());
            try (FileConfiguredGateway a = FileConfiguredGateway.start(file, env, c -> EngineNode.nodesAdmin(engines));
                    FileConfiguredGateway b = FileConfiguredGateway.start(file, env, c -> EngineNode.nodesAdmin(engines))) {
                long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                List<Thread> clients = new ArrayList<>();
                for (FileConfiguredGateway replica : List.of(a, b, a, b)) {
                    Thread t = new Thread(() -> {
                        while (System.nanoTime() < end) {
                            try (RawHttp c = new RawHttp("127.0.0.1", replica.port())) {
                                RawHttp.Response r = c.exchange(RawHttp.request("POST", "/", List.of(),
                                        query.getBytes()), false);
                                if (r.status() == 200 && r.bodyText().equals("3\n")) {
                                    answered.incrementAndGet();
                                } else {
                                    failures.add(r.status() + " " + r.bodyText().strip());
                                }
                            } catch (Exception e) {
                                failures.add(e.toString());
                            }
                        }
                    });
                    t.start();
                    clients.add(t);
                }
                for (Thread t : clients) {
                    t.join();
                }
                assertThat(failures).as("failed queries (of %d answered)", answered.get()).isEmpty();
                assertThat(answered.get()).isGreaterThan(100);
                for (EngineNode engine : engines) {
                    assertThat(engine.query("SELECT arraySort(mapKeys(collection)) FROM system.named_collections"
                            + " WHERE name = 'rep_pg'")).as("one collection, exactly chgate's keys")
                            .isEqualTo("['addresses_expr','database','host','password','port','schema','user']\n");
                    assertThat(engine.query("SELECT count() FROM postgresql(rep_pg, table = 'orders')"))
                            .as("its login works").isEqualTo("3\n");
                }
            }
            List<String> lines = Files.readAllLines(stack.vaultAuditLog());
            long reads = lines.subList((int) auditBefore, lines.size()).stream()
                    .filter(l -> l.contains("\"type\":\"request\"")
                            && l.contains("\"path\":\"database/creds/shop_pg_short\"")).count();
            // each replica: one read at start, then one per 2/3 of a 6 s lease less up to 20% jitter (>= 3.2 s)
            assertThat(reads).as("credential reads in OpenBao's audit log").isBetween(4L, 2 * (seconds * 10 / 32 + 2));
        }
    }
}
