package io.chgate.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.testkit.LocalStack;
import io.chgate.testkit.StackKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka integrations on the stack's real broker (SASL_PLAINTEXT, clients re-authenticating every 10 s) and the
 * ClickHouse 26 engine: the SASL login comes from Vault into the collection, the integration database holds exactly
 * the configured Kafka tables, and a rotated password reaches the tables without losing their materialized views.
 */
class KafkaIntegrationTest {
    static LocalStack stack;
    static VaultClient root;
    static EmbeddedClickHouse engine;
    static AdminChannel admin;
    static StackKafka kafka;

    @BeforeAll
    static void setUp() {
        stack = LocalStack.get();
        root = VaultClient.withToken(stack.vaultAddr(), stack.vaultToken());
        engine = EmbeddedClickHouse.shared(stack.chdbLibrary(),
                Path.of(System.getProperty("java.io.tmpdir"), "chgate-vault-test-" + ProcessHandle.current().pid()), 2);
        admin = new EngineAdminChannel(engine);
        kafka = stack.kafka();
    }

    @AfterAll
    static void tearDown() {
        kafka.close();
    }

    static KafkaTables.Table orders(String topic, String group) {
        return new KafkaTables.Table("orders", List.of(new KafkaTables.Column("id", "UInt64"),
                new KafkaTables.Column("customer", "String")), Map.of("kafka_topic_list", topic, "kafka_group_name",
                group, "kafka_format", "JSONEachRow"));
    }

    static void eventually(String what, Supplier<String> actual, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = null;
        while (System.nanoTime() < deadline) {
            last = actual.get();
            if (last.equals(expected)) {
                return;
            }
            Thread.sleep(250);
        }
        assertThat(last).as(what).isEqualTo(expected);
    }

    /**
     * PLAIN, the one SASL mechanism the engine's librdkafka is built with (SCRAM: "No provider for SASL mechanism
     * SCRAM-SHA-256 ... Current build options: PLAIN", measured on 26.7).
     */
    @Test
    void aSaslLoginFromVaultReadsTheTopicAndEveryRotationReachesTheTablesWithoutLosingTheirViews() throws Exception {
        long run = System.nanoTime();
        String topic = "chgate_orders_" + run;
        String group = "chgate_group_" + run;
        kafka.createTopic(topic);
        kafka.send(topic, List.of("{\"id\":1,\"customer\":\"alice\"}", "{\"id\":2,\"customer\":\"bob\"}",
                "{\"id\":3,\"customer\":\"carol\"}"));
        kafka.startGroupAtBeginning(group, topic);
        String path = "chgate-test/kafka-" + run;
        root.writeKv2("secret", path, Map.of("username", stack.kafkaPlainUser(), "password", stack.kafkaPlainPassword()));
        IntegrationManager.Integration events = IntegrationManager.Integration.kafka("vault_kafka",
                new SecretSource.Kv2("secret", path, 0), "vault_kafka", new KafkaTables.Spec(stack.kafkaSaslBootstrap(),
                        "SASL_PLAINTEXT", "PLAIN", "vault_kafka_db", List.of(orders(topic, group))));
        try (IntegrationManager manager = new IntegrationManager(root, admin, List.of(events), null,
                Duration.ofSeconds(2), false)) {
            manager.ensure("vault_kafka").get(30, TimeUnit.SECONDS);
            assertThat(engine.queryText("SELECT engine, comment FROM system.databases WHERE name = 'vault_kafka_db'",
                    "TSV")).isEqualTo("Atomic\tmanaged by chgate for integration vault_kafka\n");
            String table = engine.queryText("SHOW CREATE TABLE vault_kafka_db.orders", "TSV");
            assertThat(table).contains("Kafka(vault_kafka").contains(topic).doesNotContain(stack.kafkaPlainPassword())
                    .doesNotContain(stack.kafkaSaslBootstrap());
            engine.queryText("CREATE TABLE IF NOT EXISTS default.kafka_sink (id UInt64, customer String)"
                    + " ENGINE = MergeTree ORDER BY id", "TSV");
            engine.queryText("TRUNCATE TABLE default.kafka_sink", "TSV");
            engine.queryText("CREATE MATERIALIZED VIEW IF NOT EXISTS default.kafka_view TO default.kafka_sink AS"
                    + " SELECT id, customer FROM vault_kafka_db.orders", "TSV");
            Supplier<String> sink = () -> engine.queryText("SELECT count(), sum(id) FROM default.kafka_sink", "TSV");
            eventually("the three messages, read with the login from Vault", sink, "3\t6\n");

            // Vault now holds a password the broker refuses: the tables must log in with it, and fail
            root.writeKv2("secret", path, Map.of("username", stack.kafkaPlainUser(), "password", "not-it-" + run));
            eventually("the rotated (wrong) login reaches the table's consumers", () -> engine.queryText(
                    "SELECT countIf(text ILIKE '%auth%') > 0 FROM system.kafka_consumers ARRAY JOIN exceptions.text AS"
                            + " text WHERE database = 'vault_kafka_db'", "TSV"), "1\n");
            kafka.send(topic, List.of("{\"id\":4,\"customer\":\"dave\"}"));
            Thread.sleep(3000);
            assertThat(sink.get()).as("nothing read without a valid login").isEqualTo("3\t6\n");

            root.writeKv2("secret", path, Map.of("username", stack.kafkaPlainUser(), "password",
                    stack.kafkaPlainPassword()));
            eventually("the message sent meanwhile, through the same view", sink, "4\t10\n");
            assertThat(engine.queryText("SELECT arrayStringConcat(exceptions.text) FROM system.kafka_consumers", "TSV"))
                    .doesNotContain(stack.kafkaPlainPassword());
        } finally {
            engine.queryText("DROP VIEW IF EXISTS default.kafka_view", "TSV");
            engine.queryText("DROP TABLE IF EXISTS default.kafka_sink", "TSV");
            engine.queryText("DROP DATABASE IF EXISTS vault_kafka_db", "TSV");
        }
    }

    /** A PLAINTEXT broker: nothing from Vault, the collection holds the broker list and the protocol alone. */
    @Test
    void aPlaintextBrokerIsReadWithNoSecretAtAll() throws Exception {
        long run = System.nanoTime();
        String topic = "chgate_plain_" + run;
        String group = "chgate_plain_group_" + run;
        kafka.createTopic(topic);
        kafka.send(topic, List.of("{\"id\":7,\"customer\":\"grace\"}"));
        kafka.startGroupAtBeginning(group, topic);
        IntegrationManager.Integration events = IntegrationManager.Integration.kafka("vault_kafka_plain",
                new SecretSource.None(), "vault_kafka_plain", new KafkaTables.Spec(stack.kafkaBootstrap(), "PLAINTEXT",
                        null, "vault_kafka_plain_db", List.of(orders(topic, group))));
        try (IntegrationManager manager = new IntegrationManager(root, admin, List.of(events), null,
                Duration.ofMinutes(5), false)) {
            manager.ensure("vault_kafka_plain").get(30, TimeUnit.SECONDS);
            assertThat(admin.execute(NamedCollectionDdl.keys("vault_kafka_plain")).split("\n"))
                    .containsExactlyInAnyOrder("kafka_broker_list", "kafka_security_protocol");
            engine.queryText("CREATE TABLE IF NOT EXISTS default.kafka_plain_sink (id UInt64, customer String)"
                    + " ENGINE = MergeTree ORDER BY id", "TSV");
            engine.queryText("CREATE MATERIALIZED VIEW IF NOT EXISTS default.kafka_plain_view TO"
                    + " default.kafka_plain_sink AS SELECT id, customer FROM vault_kafka_plain_db.orders", "TSV");
            eventually("the message, read with no login", () -> engine.queryText(
                    "SELECT count(), sum(id) FROM default.kafka_plain_sink", "TSV"), "1\t7\n");
        } finally {
            engine.queryText("DROP VIEW IF EXISTS default.kafka_plain_view", "TSV");
            engine.queryText("DROP TABLE IF EXISTS default.kafka_plain_sink", "TSV");
            engine.queryText("DROP DATABASE IF EXISTS vault_kafka_plain_db", "TSV");
        }
    }
}
