package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.engine.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What BI tools send (Metabase, Superset, Grafana, Tableau, Looker-style CTEs and window functions, DBeaver and
 * DataGrip introspection) crossed with every form of table source, plus every engine and dictionary-source form:
 * each statement is read without error, comes back untouched when it has no reference, has exactly the references
 * its source form carries, and both it and its rewrite are accepted by ClickHouse 26's own parser, whose
 * {@code EXPLAIN AST} names every reference found.
 */
class BiCorpusTest {
    static EmbeddedClickHouse engine;

    @BeforeAll
    static void open() {
        engine = OracleEngine.get();
    }

    record Case(String sql, int expectedReferences) {
    }

    /** A resource's statements, separated by lines ";;"; the file's leading header comment is not a statement's. */
    static List<String> blocks(String resource) {
        try (InputStream in = BiCorpusTest.class.getResourceAsStream("/bi/" + resource)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            while (text.startsWith("-- ")) {
                text = text.substring(text.indexOf('\n') + 1);
            }
            List<String> out = new ArrayList<>();
            for (String block : text.split("\n;;\n")) {
                if (!block.isBlank()) {
                    out.add(block.strip());
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        List<String> sources = blocks("sources.txt").get(0).lines().toList();
        for (String template : blocks("queries.sql")) {
            int slots = template.split("\\{src}", -1).length - 1;
            for (String source : sources) {
                int perSlot = source.contains("(") && !source.startsWith("analytics.") ? 1 : 0;
                cases.add(new Case(template.replace("{src}", source), slots * perSlot));
            }
        }
        for (String sql : blocks("introspection.sql")) {
            cases.add(new Case(sql, 0));
        }
        for (String sql : blocks("ddl.sql")) {
            cases.add(new Case(sql, 1));
        }
        return cases;
    }

    @Test
    void everyBiStatementIsReadRewrittenAndAcceptedByClickHouse() {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(600);
        System.out.println("BI corpus: " + cases.size() + " statements");
        Resolver replaceAll = ref -> new Resolution.UseNamedCollection("nc", List.of());
        int rewritten = 0;
        for (Case c : cases) {
            List<Reference> refs = SqlRewriter.analyze(c.sql());
            assertThat(refs).as(c.sql()).hasSize(c.expectedReferences());
            String out = SqlRewriter.rewriteSql(c.sql(), replaceAll);
            if (refs.isEmpty()) {
                assertThat(out).as(c.sql()).isSameAs(c.sql());
                continue;
            }
            rewritten++;
            String ast = parse("EXPLAIN AST " + c.sql(), c.sql()).toLowerCase(Locale.ROOT);
            for (Reference ref : refs) {
                assertThat(ast).as(c.sql()).contains(ref.name().toLowerCase(Locale.ROOT));
            }
            assertThat(out).doesNotContain("'secret'").doesNotContain("SECRETKEY");
            engineAccepts(out);
        }
        assertThat(rewritten).isGreaterThan(400);
    }

    private static String parse(String explain, String sql) {
        if (sql.startsWith("EXPLAIN") || sql.startsWith("INSERT") || sql.startsWith("CREATE") || sql.contains("{id:")) {
            return engineAccepts(sql);
        }
        return engine.queryText(explain, "TSVRaw");
    }

    private static String engineAccepts(String sql) {
        try {
            return engine.formatQuery(sql);
        } catch (EngineException e) {
            throw new AssertionError("ClickHouse 26 does not parse: " + sql + "\n" + e.getMessage(), e);
        }
    }
}
