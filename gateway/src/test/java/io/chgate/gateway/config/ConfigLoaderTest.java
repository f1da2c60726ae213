package io.chgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("chgate.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void noFileMeansDefaults() {
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of()).load();
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.config().listen).isEqualTo("127.0.0.1:8124");
        assertThat(loaded.config().limits.maxQuerySize.bytes()).isEqualTo(256 * 1024);
    }

    @Test
    void readsEveryKeyOfAFile() throws IOException {
        Path file = write("""
                listen: 0.0.0.0:9000
                threads: 3
                upstream:
                  url: http://10.0.0.5:8123
                  connect_timeout: 250ms
                  idle_timeout: 2m
                  request_timeout: 0s
                  pool_max_idle: 8
                  pool_idle_timeout: 1s
                limits:
                  max_query_size: 1MiB
                  max_request_header_size: 128KiB
                  max_response_header_size: 8 MiB
                """);
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of()).file(file).load();
        assertThat(loaded.problems()).isEmpty();
        GatewayConfig c = loaded.config();
        assertThat(c.listen).isEqualTo("0.0.0.0:9000");
        assertThat(c.threads).isEqualTo(3);
        assertThat(c.upstream.url).isEqualTo("http://10.0.0.5:8123");
        assertThat(c.upstream.connectTimeout).isEqualTo(Duration.ofMillis(250));
        assertThat(c.upstream.idleTimeout).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.upstream.requestTimeout).isZero();
        assertThat(c.upstream.poolMaxIdle).isEqualTo(8);
        assertThat(c.upstream.poolIdleTimeout).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.limits.maxQuerySize.bytes()).isEqualTo(1 << 20);
        assertThat(c.limits.maxRequestHeaderSize.bytes()).isEqualTo(128 << 10);
        assertThat(c.limits.maxResponseHeaderSize.bytes()).isEqualTo(8 << 20);
    }

    @Test
    void managedDatabasesResolveTheirNamesAndBadOnesAreReportedWhereTheyAre() throws IOException {
        Path file = write("""
                integrations:
                  - name: shop_pg
                    source: postgresql
                    address: pg:5432
                    database: shop
                    credentials: { kv: { path: chgate/shop_pg } }
                    managed_databases: [{ schema: public }, { database: crm, schema: sales, name: crm_sales }]
                  - name: crm_mysql
                    source: mysql
                    address: my:3306
                    database: crm
                    managed_databases:
                      - { database: crm }
                  - name: other_pg
                    source: postgresql
                    address: pg2:5432
                    database: shop
                    managed_databases:
                      - { schema: public, name: crm_sales }
                      - { schema: '' }
                """);
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of()).file(file).load();
        assertThat(loaded.config().integrations.get(0).databasesInEffect()).extracting(d -> d.name + "=" + d.database
                + "." + d.schema).containsExactly("shop_pg_shop_public=shop.public", "crm_sales=crm.sales");
        assertThat(loaded.config().integrations.get(0).modesInEffect()).containsExactly("managed_credentials",
                "managed_database");
        assertThat(loaded.problems()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                file + ":12:5: integrations[1].managed_databases: integration 'crm_mysql': {database, schema} pairs are"
                        + " PostgreSQL's; a mysql integration has no managed database",
                file + ":18:5: integrations[2].managed_databases: integration 'other_pg': chgate builds managed"
                        + " databases with the credentials it fetches: give credentials",
                file + ":19:27: integrations[2].managed_databases[0].name: duplicate managed database 'crm_sales' (the"
                        + " default name is <integration>_<database>_<schema>)",
                file + ":20:11: integrations[2].managed_databases[1].schema: must be 1 to 63 characters");
    }

    @Test
    void remoteSqlIsOffAndSchemasDefaultToTheConfiguredOneAndBadOnesAreReported() throws IOException {
        Path file = write("""
                integrations:
                  - { name: a_pg, source: postgresql, address: 'pg:5432', database: shop }
                  - { name: b_pg, source: postgresql, address: 'pg:5432', database: shop, schema: sales }
                  - { name: c_pg, source: postgresql, address: 'pg:5432', database: shop, schemas: [ledger, sales],
                      allow_remote_sql: true }
                  - { name: d_pg, source: postgresql, address: 'pg:5432', database: shop, schema: public,
                      schemas: [sales] }
                  - { name: e_my, source: mysql, address: 'my:3306', database: crm, schemas: [crm] }
                  - { name: f_kafka, source: kafka, address: 'k:9092', allow_remote_sql: true }
                """);
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of()).file(file).load();
        var integrations = loaded.config().integrations;
        assertThat(integrations.get(0).allowRemoteSql).isFalse();
        assertThat(integrations.get(0).schemasInEffect()).containsExactly("public");
        assertThat(integrations.get(0).schemaInEffect()).isEqualTo("public");
        assertThat(integrations.get(1).schemasInEffect()).containsExactly("sales");
        assertThat(integrations.get(2).allowRemoteSql).isTrue();
        assertThat(integrations.get(2).schemasInEffect()).containsExactly("ledger", "sales");
        assertThat(integrations.get(2).schemaInEffect()).as("what the collection reads by default").isEqualTo("ledger");
        assertThat(loaded.problems()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                file + ":7:7: integrations[3].schemas: integration 'd_pg': its schema 'public' (what a query reads"
                        + " when it names none) must be one of its schemas",
                file + ":8:69: integrations[4].schemas: integration 'e_my': schemas are PostgreSQL's; a mysql"
                        + " integration reaches its database only",
                file + ":9:56: integrations[5].allow_remote_sql: integration 'f_kafka': Kafka runs no SQL; remove"
                        + " allow_remote_sql");
    }

    @Test
    void kafkaIntegrationsAreCheckedAgainstTheManagedServicesLimitsAndTheEngine() throws IOException {
        Path file = write("""
                upstream:
                  url: embedded
                integrations:
                  - name: events
                    source: kafka
                    address: kafka:9092
                    security_protocol: SASL_SSL
                    sasl_mechanism: SCRAM-SHA-512
                    tables:
                      - name: orders
                        columns: [{ name: id, type: 'UInt64) ENGINE = Memory' }, { name: at, type: 'DateTime64(3)' }]
                        topics: [orders, { name: '..' }]
                        data_format: XML
                        num_consumers: 11
                        auto_offset_reset: earliest
                      - name: orders
                        columns: []
                        topics: [returns]
                """);
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of()).file(file).load();
        assertThat(loaded.problems()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                file + ":3:1: integrations[0].credentials: integration 'events': SASL_SSL needs the SASL login from"
                        + " Vault: give credentials",
                file + ":7:5: integrations[0].security_protocol: integration 'events': the embedded ClickHouse"
                        + " engine's librdkafka is built with SASL PLAIN only (no SCRAM, no SSL); use PLAINTEXT or"
                        + " SASL_PLAINTEXT with PLAIN, or a ClickHouse server upstream",
                file + ":11:31: integrations[0].tables[0].columns[0].type: is not one ClickHouse type (text after"
                        + " UInt64)",
                file + ":12:9: integrations[0].tables[0].topics[1]: a topic name is 1 to 249 of A-Z a-z 0-9 . _ -"
                        + " (and not . or ..)",
                file + ":13:9: integrations[0].tables[0].data_format: must be one of [Avro, AvroConfluent, CSV,"
                        + " JSONAsString, JSONCompactEachRow, JSONCompactStringsEachRow, JSONEachRow,"
                        + " JSONStringsEachRow, MsgPack, Parquet, RawBLOB, TSKV, TSV, TabSeparated]",
                file + ":14:9: integrations[0].tables[0].num_consumers: must be 1 to 10",
                file + ":15:9: integrations[0].tables[0].auto_offset_reset: ClickHouse takes auto_offset_reset only"
                        + " from the server's <kafka> configuration, not from SQL: a new consumer group starts at the"
                        + " latest offset; remove the key, or set it in the server's config",
                file + ":16:9: integrations[0].tables[1].name: duplicate table 'orders'",
                file + ":17:9: integrations[0].tables[1].columns: needs 1 to 100 columns, each {name, type}");
        assertThat(KafkaTablesValidator.typeProblem("Map(String, Array(Nullable(Decimal(10, 2))))")).isNull();
        assertThat(KafkaTablesValidator.typeProblem("Enum8('a' = 1, 'b' = 2)")).isNull();
        assertThat(KafkaTablesValidator.typeProblem("String -- x")).isNotNull();
        assertThat(KafkaTablesValidator.typeProblem("Nullable(String")).isNotNull();
    }

    @Test
    void upstreamNodesAreCheckedOneByOne() throws IOException {
        Path file = write("""
                upstream:
                  url: embedded
                  nodes: [http://ch1:8123, 'https://ch2:8443', ch3]
                  balance: random
                  health_check_interval: 0s
                """);
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of()).file(file).load();
        assertThat(loaded.problems()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                file + ":3:3: upstream.nodes[2]: expected an http:// or https:// URL of ClickHouse's HTTP interface,"
                        + " or embedded, got 'ch3'",
                file + ":3:3: upstream.nodes: the embedded engine is one node in this process; give nodes with a"
                        + " ClickHouse server url, or no nodes",
                file + ":4:3: upstream.balance: must be least_loaded or round_robin",
                file + ":5:3: upstream.health_check_interval: must be a positive duration, e.g. 5s");
        Path good = write("""
                upstream:
                  url: http://ch1:8123
                  nodes: [http://ch1:8123, http://ch2:8123]
                """);
        GatewayConfig config = new ConfigLoader(Map.of()).file(good).load().config();
        assertThat(config.upstream.nodeUrls()).containsExactly("http://ch1:8123", "http://ch2:8123");
        assertThat(config.upstream.balance).isEqualTo("least_loaded");
    }

    @Test
    void reportsEveryProblemWithItsLine() throws IOException {
        Path file = write("""
                listen: nowhere
                upstream:
                  url: ftp://ch.example:8443
                  connect_timeout: soon
                  colour: blue
                limits:
                  max_query_size: 12 parsecs
                """);
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of()).file(file).load();
        assertThat(loaded.problems()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                file + ":5:3: upstream.colour: unknown key",
                file + ":4:3: upstream.connect_timeout: bad value: not a duration: 'soon' (examples: 250ms, 5s, 10m, 1h)",
                file + ":7:3: limits.max_query_size: bad value: unknown size unit in '12 parsecs' (use B, KiB, MiB or GiB)",
                file + ":1:1: listen: expected host:port, e.g. 127.0.0.1:8124, got 'nowhere'",
                file + ":3:3: upstream.url: expected an http:// or https:// URL of ClickHouse's HTTP interface, or"
                        + " embedded, got 'ftp://ch.example:8443'");
    }

    @Test
    void cachesAreReadWithChproxysNamesAndChecked() throws IOException {
        Path good = write("""
                caches:
                  - { name: dashboards, max_size: 128MiB, ttl: 30s, grace: 10s, max_payload_size: 2MiB }
                  - { name: defaults }
                  - { name: from_chproxy, max_size: 64MiB, expire: 2m }
                users:
                  - { name: bi, password_sha256_hex: %s, clickhouse: { user: bi }, cache: dashboards }
                """.formatted("a".repeat(64)));
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of()).file(good).load();
        assertThat(loaded.problems()).isEmpty();
        GatewayConfig.Cache c = loaded.config().caches.get(0);
        assertThat(c.maxSize.bytes()).isEqualTo(128L << 20);
        assertThat(c.ttl).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.grace).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxPayloadSize.bytes()).isEqualTo(2L << 20);
        GatewayConfig.Cache d = loaded.config().caches.get(1);
        assertThat(d.maxSize.bytes()).isEqualTo(256L << 20);
        assertThat(d.ttl).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.grace).isZero();
        assertThat(d.maxPayloadSize.bytes()).isEqualTo(10L << 20);
        assertThat(loaded.config().users.get(0).cache).isEqualTo("dashboards");
        assertThat(loaded.config().caches.get(2).ttl).isEqualTo(Duration.ofMinutes(2));

        Path bad = write("""
                caches:
                  - { name: a, ttl: 0s, max_size: 1MiB, max_payload_size: 2MiB }
                  - { name: a }
                users:
                  - { name: bi, password_sha256_hex: %s, clickhouse: { user: bi }, cache: nosuch }
                """.formatted("a".repeat(64)));
        assertThat(new ConfigLoader(Map.of()).file(bad).load().problems()).extracting(ConfigProblem::toString)
                .anySatisfy(p -> assertThat(p).contains("caches[0].ttl"))
                .anySatisfy(p -> assertThat(p).contains("caches[0].max_payload_size"))
                .anySatisfy(p -> assertThat(p).contains("duplicate cache name 'a'"))
                .anySatisfy(p -> assertThat(p).contains("users[0].cache: no cache named 'nosuch'"));
    }

    @Test
    void reportsASyntaxErrorWithItsLocation() throws IOException {
        Path file = write("listen: [unclosed\n");
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of()).file(file).load();
        assertThat(loaded.problems()).hasSize(1);
        assertThat(loaded.problems().get(0).toString()).isEqualTo(file + ":1:18: not valid YAML: "
                + "while parsing a flow sequence: expected ',' or ']', but got <stream end>");
    }

    @Test
    void environmentOverridesTheFileAndFlagsOverrideBoth() throws IOException {
        Path file = write("""
                listen: 127.0.0.1:1111
                upstream:
                  url: http://127.0.0.1:2222
                  connect_timeout: 1s
                """);
        Map<String, String> env = Map.of(
                "CHGATE_LISTEN", "127.0.0.1:3333",
                "CHGATE_UPSTREAM_CONNECT_TIMEOUT", "7s",
                "CHGATE_LIMITS_MAX_QUERY_SIZE", "512KiB",
                "CHGATE_HOME", "/not/a/config/key");
        ConfigLoader.Loaded loaded = new ConfigLoader(env).file(file)
                .flag("listen", "127.0.0.1:4444", "--listen").load();
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.config().listen).isEqualTo("127.0.0.1:4444");
        assertThat(loaded.config().upstream.url).isEqualTo("http://127.0.0.1:2222");
        assertThat(loaded.config().upstream.connectTimeout).isEqualTo(Duration.ofSeconds(7));
        assertThat(loaded.config().limits.maxQuerySize.bytes()).isEqualTo(512 << 10);
    }

    @Test
    void aBadOverrideNamesWhereItCameFrom() {
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of("CHGATE_UPSTREAM_IDLE_TIMEOUT", "forever"))
                .flag("upstream.url", "ftp://x", "--upstream").load();
        assertThat(loaded.problems()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "environment variable CHGATE_UPSTREAM_IDLE_TIMEOUT: upstream.idle_timeout: bad value: "
                        + "not a duration: 'forever' (examples: 250ms, 5s, 10m, 1h)",
                "--upstream: upstream.url: expected an http:// or https:// URL of ClickHouse's HTTP interface, or"
                        + " embedded, got 'ftp://x'");
    }

    @Test
    void sizesAndDurationsReadTheWayPeopleWriteThem() {
        assertThat(DataSize.parse("262144").bytes()).isEqualTo(262144);
        assertThat(DataSize.parse("256KiB").bytes()).isEqualTo(262144);
        assertThat(DataSize.parse("4 MiB").bytes()).isEqualTo(4 << 20);
        assertThat(DataSize.parse("1g").bytes()).isEqualTo(1L << 30);
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.format(Duration.ofMillis(2500))).isEqualTo("2500ms");
        assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
    }

    @Test
    void gatewayUsersAreCheckedAtLoad() throws IOException {
        Path file = write("""
                upstream:
                  url: http://127.0.0.1:8123
                admin:
                  user: chgate_admin
                integrations:
                  - { name: shop_pg, source: postgresql, address: 'pg:5432', database: shop }
                users:
                  - name: analyst
                    password_sha256_hex: 2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b
                    clickhouse: { user: bi_reader, password_file: /etc/chgate/bi_reader.password }
                    integrations: [shop_pg]
                  - name: sneaky
                    password_sha256_hex: not-a-hash
                    clickhouse: { user: chgate_admin }
                    integrations: [nope]
                  - name: nobody
                    password_sha256_hex: 2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b
                  - name: loader
                    password_sha256_hex: 2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b
                    clickhouse: { user: loader_ch }
                    sources: [s3, postgresql, no_such_source]
                """);
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of()).file(file).load();
        assertThat(loaded.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "users[1].password_sha256_hex", "users[1].clickhouse.user", "users[1].integrations",
                "users[2].clickhouse.user", "users[3].sources", "users[3].sources");
        assertThat(loaded.problems()).extracting(ConfigProblem::message)
                .anyMatch(m -> m.contains("chgate's admin user 'chgate_admin'"));
        GatewayConfig.User analyst = loaded.config().users.get(0);
        assertThat(analyst.clickhouse.user).isEqualTo("bi_reader");
        assertThat(analyst.integrations).containsExactly("shop_pg");
    }

    @Test
    void perUserLimitsAreReadAndCheckedAtLoad() throws IOException {
        Path file = write("""
                upstream:
                  url: http://127.0.0.1:8123
                limits:
                  max_execution_time: 5m
                users:
                  - name: analyst
                    password_sha256_hex: 2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b
                    clickhouse: { user: bi_reader }
                    requests_per_minute: 600
                    max_execution_time: 30s
                  - name: wrong
                    password_sha256_hex: 2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b
                    clickhouse: { user: bi_reader }
                    requests_per_minute: -1
                """);
        ConfigLoader.Loaded loaded = new ConfigLoader(Map.of()).file(file).load();
        assertThat(loaded.problems()).extracting(ConfigProblem::path).containsExactly("users[1].requests_per_minute");
        assertThat(loaded.config().limits.maxExecutionTime).isEqualTo(java.time.Duration.ofMinutes(5));
        GatewayConfig.User analyst = loaded.config().users.get(0);
        assertThat(analyst.requestsPerMinute).isEqualTo(600);
        assertThat(analyst.maxExecutionTime).isEqualTo(java.time.Duration.ofSeconds(30));
    }
}
