package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What BI tools send is read for its objects without a refusal — the ownership check must not stand in a dashboard's
 * way — and every query over the corpus's own table names it.
 */
class ObjectReferencesCorpusTest {
    @Test
    void everyBiQueryNamesItsTable() {
        List<String> missed = new ArrayList<>();
        for (String template : BiCorpusTest.blocks("queries.sql")) {
            String sql = template.replace("{src}", "analytics.orders");
            ObjectReferences.Result r = ObjectReferences.of(sql);
            assertThat(r.refusal()).as(sql).isNull();
            if (r.refs().stream().noneMatch(ref -> "analytics".equals(ref.database()) && "orders".equals(ref.name())
                    && ref.use() == ObjectReferences.Use.READ)) {
                missed.add(sql);
            }
        }
        assertThat(missed).isEmpty();
    }

    @Test
    void introspectionAndDefinitionsAreReadWithoutRefusal() {
        for (String resource : List.of("introspection.sql", "ddl.sql")) {
            for (String sql : BiCorpusTest.blocks(resource)) {
                assertThat(ObjectReferences.of(sql).refusal()).as(sql).isNull();
            }
        }
    }
}
