package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Over what BI tools send: every dashboard query the corpus holds is cacheable with its table as an object (the cache
 * is for them), none stays cacheable once a non-deterministic function is put anywhere in or around it, and no
 * statement of the BI or public corpus makes the cache's readers throw.
 */
class CacheableReadCorpusTest {
    private static List<String> dashboardQueries() {
        List<String> out = new ArrayList<>();
        for (String template : BiCorpusTest.blocks("queries.sql")) {
            out.add(template.replace("{src}", "analytics.orders"));
        }
        return out;
    }

    @Test
    void dashboardReadsAreCacheableWithTheirTableButForTheTimeTheyAskFor() {
        List<String> wrong = new ArrayList<>();
        int cacheable = 0;
        for (String sql : dashboardQueries()) {
            ParsedStatement statement = ParsedStatement.of(sql);
            boolean read = Set.of("select", "with").contains(statement.firstWord());
            boolean expected = read && !TIME.matcher(sql).find();
            CacheableRead.Verdict v = CacheableRead.of(statement, "default");
            if (v.cacheable() != expected) {
                wrong.add(v.cacheable() + " (" + v.reason() + "): " + sql);
            } else if (expected) {
                cacheable++;
                assertThat(v.objects()).as(sql).contains("analytics.orders");
            }
        }
        assertThat(wrong).as("BI queries the cache classes wrongly").isEmpty();
        assertThat(cacheable).isGreaterThan(20);
    }

    private static final Pattern TIME = Pattern.compile("(?i)\\b(now|today)\\s*\\(");

    @Test
    void aNonDeterministicCallAnywhereMakesADashboardQueryUncacheable() {
        List<String> functions = FunctionRegistry.entries().stream()
                .filter(e -> e.functionClass() == FunctionClass.NONDETERMINISTIC).map(FunctionRegistry.Entry::name)
                .toList();
        assertThat(functions).hasSizeGreaterThan(100);
        List<String> cached = new ArrayList<>();
        for (String sql : dashboardQueries()) {
            String inner = sql.replaceAll("(?i)\\s+FORMAT\\s+\\w+\\s*$", "");
            for (String f : functions) {
                for (String wrapped : List.of("SELECT `" + f + "`(1) AS z, * FROM (" + inner + ")",
                        "SELECT * FROM (" + inner + ") WHERE " + f + "() IS NOT NULL",
                        "WITH (SELECT " + f + "()) AS z SELECT * FROM (" + inner + ")")) {
                    if (CacheableRead.of(ParsedStatement.of(wrapped), "default").cacheable()) {
                        cached.add(wrapped);
                    }
                }
            }
        }
        assertThat(cached).as("statements calling a non-deterministic function the cache would keep").isEmpty();
    }

    @Test
    void noCorpusStatementMakesTheReadersThrow() {
        List<String> statements = new ArrayList<>(dashboardQueries());
        for (String resource : List.of("introspection.sql", "ddl.sql")) {
            statements.addAll(BiCorpusTest.blocks(resource));
        }
        statements.addAll(PublicCorpus.statements());
        int cacheable = 0;
        for (String sql : statements) {
            ParsedStatement statement = ParsedStatement.of(sql);
            if (CacheableRead.of(statement, "default").cacheable()) {
                cacheable++;
                assertThat(CacheableRead.written(statement, "default")).as(sql).isEmpty();
            }
            Set<String> written = CacheableRead.written(statement, "default");
            assertThat(written).as(sql).allMatch(o -> o.indexOf('.') > 0);
            CacheableRead.derivations(statement, "default");
            CacheableRead.uncacheableObjects(statement, "default");
        }
        assertThat(cacheable).isGreaterThan(20);
    }
}
