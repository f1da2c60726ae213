package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A reference that names a collection is checked like any other (finding C1): ClickHouse accepts a key the
 * collection lacks as an override, so a client adding {@code addresses_expr} would have ClickHouse send the stored
 * password to a host of its choosing.
 */
class CollectionReferenceTest {
    static final CollectionResolver RESOLVER = new CollectionResolver(List.of(
            new CollectionResolver.Endpoint("postgresql", "pg.prod:5432", "shop", "shop_pg"),
            new CollectionResolver.Endpoint("kafka", "kafka.prod:9092", null, "events_kafka")));

    static Resolution resolve(String sql) {
        List<Reference> refs = SqlRewriter.analyze(sql);
        assertThat(refs).as(sql).hasSize(1);
        return RESOLVER.resolve(refs.get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM postgresql(shop_pg, table = 'orders')",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', schema = 'public')",
        "SELECT * FROM postgresql(`shop_pg`, `table` = 'orders')",
        "CREATE TABLE o (id Int32) ENGINE = PostgreSQL(shop_pg, table = 'orders')",
        "CREATE DATABASE d ENGINE = PostgreSQL(shop_pg)",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(POSTGRESQL(NAME shop_pg TABLE 'orders')) LAYOUT(FLAT()) LIFETIME(0)",
        "CREATE TABLE k (s String) ENGINE = Kafka(events_kafka) SETTINGS kafka_topic_list = 't', kafka_format = 'JSONEachRow'"
    })
    void theIntegrationsOwnKeysAreKept(String sql) {
        assertThat(resolve(sql)).isEqualTo(Resolution.KEEP);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM postgresql(shop_pg, addresses_expr = '127.0.0.1:1', table = 'orders')",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', host = '127.0.0.1')",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', hostname = '127.0.0.1', port = 1)",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', port = 1)",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', user = 'other', password = 'x')",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', username = 'other')",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', database = 'postgres')",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', db = 'postgres')",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', sslmode = 'disable')",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', sslrootcert_pem = '---')",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', `addresses_expr` = '127.0.0.1:1')",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', no_such_key = 1)",
        "SELECT * FROM postgresql(someone_elses, table = 'orders')",
        "SELECT * FROM postgresql({c:Identifier}, table = 'orders')",
        "SELECT * FROM postgresql(shop_pg, table = {t:String})",
        "SELECT * FROM postgresql({h:String}, 'shop', 'orders', 'u', 'p')",
        "SELECT * FROM postgresql(shop_pg, table = 'orders', concat('addresses', '_expr') = '127.0.0.1:1')",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(POSTGRESQL(NAME shop_pg HOST '127.0.0.1' TABLE 'o')) LAYOUT(FLAT()) LIFETIME(0)",
        "CREATE TABLE k (s String) ENGINE = Kafka(events_kafka) SETTINGS kafka_broker_list = '127.0.0.1:1'",
        "CREATE TABLE k (s String) ENGINE = Kafka(events_kafka) SETTINGS kafka_sasl_username = 'x'",
        "CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(POSTGRESQL(NAME shop_pg TABLE 'o' NAME someone_elses))"
                + " LAYOUT(FLAT()) LIFETIME(0)",
        "CREATE TABLE k (s String) ENGINE = Kafka(events_kafka) SETTINGS kafka_topic_list = concat('a', 'b'),"
                + " kafka_broker_list = '127.0.0.1:1'",
        "CREATE TABLE k (s String) ENGINE = Kafka(events_kafka) SETTINGS kafka_topic_list = 't',"
                + " `kafka_broker_list` = '127.0.0.1:1'"
    })
    void anythingThatCouldRedirectOrCarryACredentialIsRefused(String sql) {
        Resolution resolution = resolve(sql);
        assertThat(resolution).as(sql).isInstanceOf(Resolution.Refuse.class);
        assertThat(((Resolution.Refuse) resolution).reason()).startsWith("chgate: ").doesNotContain("127.0.0.1")
                .doesNotContain("'x'");
    }
}
