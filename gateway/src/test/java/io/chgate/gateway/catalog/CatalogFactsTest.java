package io.chgate.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Definitions as ClickHouse 18.16 and 26 show them in {@code system.tables.create_table_query}. */
class CatalogFactsTest {

    static DefinedObject defined(String database, String name, String query) {
        return DefinedObject.of(new UpstreamObjects.Definition(database, name, query));
    }

    @Test
    void aViewReadsItsTablesAndATableReadsNothing() {
        CatalogFacts facts = CatalogFacts.of(List.of(
                defined("shop", "t", "CREATE TABLE shop.t ( id UInt32) ENGINE = MergeTree ORDER BY id"
                        + " SETTINGS index_granularity = 8192"),
                defined("shop", "v", "CREATE VIEW shop.v ( id UInt32) AS SELECT id FROM shop.t  WHERE id > 1"),
                defined("shop", "w", "CREATE VIEW shop.w (`id` UInt32) AS SELECT id FROM v")));
        assertThat(facts.derivations()).isEqualTo(Map.of("shop.v", Set.of("shop.t"), "shop.w", Set.of("shop.v")));
        assertThat(facts.unkeepable()).isEmpty();
    }

    @Test
    void aMaterializedViewAndItsTargetDeriveFromItsSource() {
        CatalogFacts facts = CatalogFacts.of(List.of(
                defined("shop", "mv", "CREATE MATERIALIZED VIEW shop.mv TO shop.totals ( n UInt64)"
                        + " AS SELECT count() AS n FROM shop.t ")));
        assertThat(facts.derivations()).containsEntry("shop.mv", Set.of("shop.t"))
                .containsEntry("shop.totals", Set.of("shop.t"));
        assertThat(facts.unkeepable()).isEmpty();
    }

    @Test
    void aViewOverNowAndATableOfALiveEngineAreNeverKept() {
        CatalogFacts facts = CatalogFacts.of(List.of(
                defined("shop", "clock", "CREATE VIEW shop.clock ( n DateTime) AS SELECT now() AS n"),
                defined("shop", "feed", "CREATE TABLE shop.feed (`s` String) ENGINE = Kafka"
                        + " SETTINGS kafka_broker_list = 'k:9092', kafka_topic_list = 't'")));
        assertThat(facts.unkeepable()).containsExactlyInAnyOrder("shop.clock", "shop.feed");
        assertThat(facts.derivations()).doesNotContainKey("shop.clock");
    }

    @Test
    void aViewOverAnUnkeepableObjectIsUnkeepableButAMaterializedViewIsNot() {
        CatalogFacts facts = CatalogFacts.of(List.of(
                defined("shop", "over_clock", "CREATE VIEW shop.over_clock ( n DateTime) AS SELECT n FROM shop.clock"),
                defined("shop", "over_over", "CREATE VIEW shop.over_over ( n DateTime) AS SELECT n FROM over_clock"),
                defined("shop", "clock", "CREATE VIEW shop.clock ( n DateTime) AS SELECT now() AS n"),
                defined("shop", "feed", "CREATE TABLE shop.feed (`s` String) ENGINE = Kafka"),
                defined("shop", "kept", "CREATE MATERIALIZED VIEW shop.kept TO shop.rows (`s` String)"
                        + " AS SELECT s FROM shop.feed")));
        assertThat(facts.unkeepable())
                .containsExactlyInAnyOrder("shop.clock", "shop.over_clock", "shop.over_over", "shop.feed");
        assertThat(facts.derivations()).containsOnlyKeys("shop.kept", "shop.rows");
    }

    @Test
    void aNameUnkeepableInOneDatabaseIsLeftOutOfTheDerivationsOfAnother() {
        CatalogFacts facts = CatalogFacts.of(List.of(
                defined("a", "v", "CREATE VIEW a.v ( n DateTime) AS SELECT now() AS n"),
                defined("b", "v", "CREATE VIEW b.v ( id UInt32) AS SELECT id FROM b.t")));
        assertThat(facts.unkeepable()).containsExactly("a.v");
        assertThat(facts.derivations()).isEmpty();
    }

    @Test
    void anEmptyDefinitionIsAPlainTableAndAnUnreadableOneIsNeverKept() {
        assertThat(defined("shop", "t", "").unkeepable()).isEmpty();
        assertThat(defined("shop", "t", "").derivations()).isEmpty();
        assertThat(defined("shop", "odd", "CREATE VIEW shop.odd AS SELECT 'unterminated").unkeepable())
                .containsExactly("shop.odd");
    }

    @Test
    void theUnquotedDatabaseOfAViewIsItsOwn() {
        CatalogFacts facts = CatalogFacts.of(List.of(
                defined("shop", "v", "CREATE VIEW v AS SELECT id FROM t")));
        assertThat(facts.derivations()).isEqualTo(Map.of("shop.v", Set.of("shop.t")));
    }
}
