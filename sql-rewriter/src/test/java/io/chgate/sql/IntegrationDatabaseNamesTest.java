package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What the gateway asks about integration databases: which a query reaches, and which changes to them it refuses. */
class IntegrationDatabaseNamesTest {
    private static final IntegrationDatabaseNames NAMES = IntegrationDatabaseNames.of(Map.of("shop_db", "shop_pg",
            "events", "events_kafka"));

    private static ParsedStatement parsed(String sql) {
        return ParsedStatement.of(sql);
    }

    @Test
    void reachesTheIntegrationsOfTheDatabasesItNames() {
        assertThat(NAMES.reachedBy(parsed("SELECT * FROM shop_db.orders"))).containsExactly("shop_pg");
        assertThat(NAMES.reachedBy(parsed("SELECT * FROM `shop_db`.orders JOIN \"events\".e USING id")))
                .containsExactlyInAnyOrder("shop_pg", "events_kafka");
        assertThat(NAMES.reachedBy(parsed("SELECT 'x' FROM analytics.orders"))).isEmpty();
    }

    @Test
    void aNameChosenAtRunTimeReachesEveryIntegration() {
        assertThat(NAMES.reachedBy(parsed("SELECT * FROM merge(REGEXP('^s'), '.*')")))
                .containsExactlyInAnyOrder("shop_pg", "events_kafka");
        assertThat(NAMES.reachedBy(parsed("SELECT * FROM {db:Identifier}.orders")))
                .containsExactlyInAnyOrder("shop_pg", "events_kafka");
        assertThat(NAMES.reachedBy(parsed("SELECT * FROM merge('shop', '.*')"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DROP TABLE shop_db.orders", "ALTER TABLE events.e ADD COLUMN x UInt8", "USE shop_db",
        "CREATE TABLE shop_db.mine (x UInt8) ENGINE = Memory", "CREATE TABLE mine AS events.e",
        "CREATE DATABASE shop_db", "SET database = 'shop_db'", "TRUNCATE TABLE `shop_db`.orders"})
    void refusesChangesToAnIntegrationDatabase(String sql) {
        assertThat(NAMES.changeRefusal(parsed(sql))).startsWith("chgate: ").contains("is an integration database");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM shop_db.orders", "INSERT INTO events.e VALUES (1)",
        "CREATE VIEW mine.v AS SELECT * FROM shop_db.orders", "DROP TABLE analytics.orders", "SELECT 1"})
    void letsReadingAndWritingThrough(String sql) {
        assertThat(NAMES.changeRefusal(parsed(sql))).isNull();
    }

    @Test
    void aDefaultIntegrationDatabaseRefusesOnlyChanges() {
        assertThat(NAMES.defaultDatabaseRefusal(parsed("CREATE TABLE t (x UInt8) ENGINE = Memory"), List.of("shop_db")))
                .contains("shop_db is an integration database");
        assertThat(NAMES.defaultDatabaseRefusal(parsed("SELECT * FROM orders"), List.of("shop_db"))).isNull();
        assertThat(NAMES.defaultDatabaseRefusal(parsed("DROP TABLE t"), List.of("analytics"))).isNull();
    }

    @Test
    void deniesTheFirstDefaultDatabaseAUserMayNotUse() {
        assertThat(NAMES.deniedDefault(List.of("analytics", "events"), "shop_pg"::equals)).isEqualTo("events_kafka");
        assertThat(NAMES.deniedDefault(List.of("shop_db"), "shop_pg"::equals)).isNull();
        assertThat(IntegrationDatabaseNames.NONE.mightReach("SELECT * FROM shop_db.orders")).isFalse();
    }
}
