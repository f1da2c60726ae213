package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every statement of the shared corpus (the SQL test data of clickhouse-sql-parser, much of it from ClickHouse's
 * own functional tests): reading it never throws, and a statement without references comes back as the same String.
 */
class CorpusTest {

    /** The corpus folder: $CHGATE_CORPUS, else ../shared/corpus beside the checkout. */
    static Path corpus() {
        String configured = System.getenv("CHGATE_CORPUS");
        Path dir = configured != null ? Path.of(configured)
                : repoRoot().getParent().resolve("shared").resolve("corpus").resolve("clickhouse-sql-parser");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the SQL corpus is not at " + dir + "; put the shared folder beside the "
                    + "checkout or set CHGATE_CORPUS to a folder of .sql files");
        }
        return dir;
    }

    static Path repoRoot() {
        String property = System.getProperty("chgate.repo");
        if (property != null) {
            return Path.of(property).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("dev").resolve("stack"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the checkout root");
    }

    /** The corpus's statements: each file split at top-level semicolons. */
    static List<String> statements() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(corpus())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                out.addAll(Statements.split(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void everyStatementIsReadAndOnesWithoutReferencesComeBackUntouched() {
        List<String> statements = statements();
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
