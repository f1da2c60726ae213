package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.testkit.LocalStack;
import io.chgate.testkit.StackKafka;
import io.chgate.vault.AdminChannel;
import io.chgate.vault.VaultClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka integration through chgate on the embedded engine and the stack's broker: its database holds the
 * configured tables, read with the SASL login from Vault; a user allowed the integration persists them with a
 * materialized view of its own; nobody creates, changes or clones tables in it, or reaches the broker inline; a
 * reload drops a removed table and a removed integration's database.
 */
class KafkaIntegrationDatabaseTest {
    @TempDir
    Path dir;

    static String integration(LocalStack stack, String topic, String group, String tables) {
        return "  - name: gw_events\n    source: kafka\n    address: '" + stack.kafkaSaslBootstrap() + "'\n"
                + "    security_protocol: SASL_PLAINTEXT\n    sasl_mechanism: PLAIN\n"
                + "    credentials: { kv: { path: chgate-test/gw_events } }\n"
                + "    tables:\n"
                + "      - name: orders\n"
                + "        columns: [{ name: id, type: UInt64 }, { name: customer, type: 'LowCardinality(String)' }]\n"
                + "        topics: [{ name: " + topic + " }]\n"
                + "        group_name: " + group + "\n"
                + tables;
    }

    static RawHttp.Response query(int port, String user, String target, String sql) throws Exception {
        return IntegrationDatabasesTest.query(port, user, target, List.of(), sql);
    }

    @Test
    void theConfiguredTablesAreReadWithTheLoginFromVaultAndOnlyChgateShapesTheirDatabase() throws Exception {
        LocalStack stack = LocalStack.get();
        long run = System.nanoTime();
        String topic = "chgate_gw_orders_" + run;
        String group = "chgate_gw_" + run;
        try (StackKafka kafka = stack.kafka()) {
            kafka.createTopic(topic);
            kafka.send(topic, List.of("{\"id\":1,\"customer\":\"alice\"}", "{\"id\":2,\"customer\":\"bob\"}"));
            kafka.startGroupAtBeginning(group, topic);
        }
        VaultClient.withToken(stack.vaultAddr(), stack.vaultToken()).writeKv2("secret", "chgate-test/gw_events",
                Map.of("username", stack.kafkaPlainUser(), "password", stack.kafkaPlainPassword()));
        String users = ReloadTest.user("alice", "gw_events") + ReloadTest.user("bob", "");
        String second = "      - name: returns\n        columns: [{ name: id, type: UInt64 }]\n"
                + "        topics: [" + topic + "]\n        group_name: " + group + "_returns\n";
        Path file = dir.resolve("chgate.yaml");
        Files.writeString(file, ReloadTest.yaml(stack, users, integration(stack, topic, group, second)));
        Map<String, String> env = Map.of("CHGATE_VAULT_TOKEN", stack.vaultToken());
        try (FileConfiguredGateway gateway = FileConfiguredGateway.start(file, env)) {
            AdminChannel admin = gateway.admin;
            int port = gateway.port();
            assertThat(admin.execute("SELECT name, engine FROM system.tables WHERE database = 'gw_events' ORDER BY"
                    + " name")).isEqualTo("orders\tKafka\nreturns\tKafka\n");

            assertThat(query(port, "alice", "/", "CREATE TABLE default.gw_kafka_sink (id UInt64, customer String)"
                    + " ENGINE = MergeTree ORDER BY id").status()).isEqualTo(200);
            String view = "CREATE MATERIALIZED VIEW default.gw_kafka_view TO default.gw_kafka_sink AS SELECT id,"
                    + " customer FROM gw_events.orders";
            RawHttp.Response bobsView = query(port, "bob", "/", view);
            assertThat(bobsView.status()).as(bobsView.bodyText()).isEqualTo(403);
            RawHttp.Response alicesView = query(port, "alice", "/", view);
            assertThat(alicesView.status()).as(alicesView.bodyText()).isEqualTo(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String sink = "";
            while (System.nanoTime() < deadline && !sink.equals("2\t3\n")) {
                Thread.sleep(250);
                sink = query(port, "alice", "/", "SELECT count(), sum(id) FROM default.gw_kafka_sink").bodyText();
            }
            assertThat(sink).as("the topic's messages, read with the login from Vault").isEqualTo("2\t3\n");

            List<String[]> refused = List.of(
                    new String[] {"/", "CREATE TABLE gw_events.mine (a UInt8) ENGINE = Memory"},
                    new String[] {"/", "CREATE TABLE default.clone AS gw_events.orders"},
                    new String[] {"/", "ALTER TABLE gw_events.orders MODIFY SETTING kafka_skip_broken_messages = 9"},
                    new String[] {"/", "DROP TABLE `gw_events`.orders"},
                    new String[] {"/", "DETACH TABLE gw_events.orders"},
                    new String[] {"/", "RENAME TABLE gw_events.orders TO default.stolen"},
                    new String[] {"/", "DROP DATABASE gw_events"},
                    new String[] {"/", "USE gw_events"},
                    new String[] {"/", "SET database = 'gw_events'"},
                    new String[] {"/", "CREATE VIEW mine AS SELECT 1 SETTINGS database = 'gw_events'"},
                    new String[] {"/?database=gw_events", "CREATE TABLE mine (a UInt8) ENGINE = Memory"});
            for (String[] attempt : refused) {
                RawHttp.Response response = query(port, "alice", attempt[0], attempt[1]);
                assertThat(response.status()).as(attempt[1] + ": " + response.bodyText()).isEqualTo(403);
                assertThat(response.bodyText()).contains("Code: 497").contains("gw_events is an integration database");
            }
            for (String inline : List.of(
                    "CREATE TABLE default.own (a String) ENGINE = Kafka(gw_events, kafka_topic_list = 't',"
                            + " kafka_group_name = 'g', kafka_format = 'JSONEachRow')",
                    "CREATE TABLE default.own (a String) ENGINE = Kafka('" + stack.kafkaSaslBootstrap() + "', 't', 'g',"
                            + " 'JSONEachRow')",
                    "CREATE TABLE default.own (a String) ENGINE = Kafka SETTINGS kafka_broker_list = '"
                            + stack.kafkaBootstrap() + "', kafka_topic_list = 't', kafka_group_name = 'g',"
                            + " kafka_format = 'JSONEachRow'")) {
                RawHttp.Response response = query(port, "alice", "/", inline);
                assertThat(response.status()).as(inline + ": " + response.bodyText()).isEqualTo(403);
            }
            assertThat(admin.execute("EXISTS TABLE default.own")).isEqualTo("0\n");

            Files.writeString(file, ReloadTest.yaml(stack, users, integration(stack, topic, group, "")));
            HttpResponse<String> reloaded = gateway.reload();
            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            assertThat(admin.execute("SELECT name FROM system.tables WHERE database = 'gw_events' ORDER BY name"))
                    .as("the removed table is dropped, the kept one stays").isEqualTo("orders\n");

            Files.writeString(file, ReloadTest.yaml(stack, ReloadTest.user("alice", ""), "  []\n"));
            reloaded = gateway.reload();
            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            assertThat(admin.execute("EXISTS DATABASE gw_events")).isEqualTo("0\n");
            assertThat(admin.execute("SELECT count() FROM system.named_collections WHERE name = 'gw_events'"))
                    .as("the removed integration's collection").isEqualTo("0\n");
        } finally {
            FileConfiguredGateway.embeddedAdmin().execute("DROP VIEW IF EXISTS default.gw_kafka_view");
            FileConfiguredGateway.embeddedAdmin().execute("DROP TABLE IF EXISTS default.gw_kafka_sink");
            FileConfiguredGateway.embeddedAdmin().execute("DROP DATABASE IF EXISTS gw_events");
        }
    }
}
