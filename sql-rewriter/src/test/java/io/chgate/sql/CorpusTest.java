package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Every statement of the public corpus ({@link PublicCorpus}): reading it never throws, and a statement without
 * references comes back as the same String. An extra tier: it runs when {@code CHGATE_CORPUS} points at the corpus.
 */
@EnabledIfEnvironmentVariable(named = PublicCorpus.VARIABLE, matches = ".*\\S.*")
class CorpusTest {

    @Test
    void everyStatementIsReadAndOnesWithoutReferencesComeBackUntouched() {
        List<String> statements = PublicCorpus.statements();
        assertThat(statements).hasSizeGreaterThan(350);
        Resolver replaceEverything = ref -> new Resolution.UseNamedCollection("nc", List.of());
        int withReferences = 0;
        for (String sql : statements) {
            List<Reference> refs = SqlRewriter.analyze(sql);
            String rewritten = SqlRewriter.rewriteSql(sql, replaceEverything);
            if (refs.isEmpty()) {
                assertThat(rewritten).as(sql).isSameAs(sql);
            } else {
                withReferences++;
                assertThat(rewritten).as(sql).isNotEqualTo(sql);
                for (Reference ref : refs) {
                    assertThat(sql.substring(ref.start(), ref.end())).as(sql).startsWith(ref.name());
                }
            }
        }
        assertThat(withReferences).as("corpus statements with external references").isGreaterThan(0);
    }
}
