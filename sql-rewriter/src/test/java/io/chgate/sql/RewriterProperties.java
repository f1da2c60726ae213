package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RewriterProperties {
    /** What BI tools send, and the public corpus too when CHGATE_CORPUS points at it. */
    private static final List<String> CORPUS = Stream.concat(BiCorpusTest.cases().stream().map(BiCorpusTest.Case::sql),
            PublicCorpus.statements().stream()).toList();
    private static final String[] INSERTS = {"'", "\"", "`", "(", ")", "/*", "*/", "--", "\n", "$$", ",", "=", " ", "`mysql`(", "mysql /*x*/ (", "kafka",
        "postgresql(", "mysql('h:1','d','t','u','p')", "ENGINE = Kafka SETTINGS ", "SOURCE(MYSQL(", "\\", "{x:UInt8}"};

    @Provide
    Arbitrary<String> mutatedStatements() {
        Arbitrary<String> statement = Arbitraries.of(CORPUS);
        Arbitrary<Integer> where = Arbitraries.integers().between(0, 10_000);
        Arbitrary<String> insert = Arbitraries.of(INSERTS);
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 3);
        return Combinators.combine(statement, where, insert, cut).as((sql, at, text, deleted) -> {
            int p = Math.min(at, sql.length());
            int q = Math.min(sql.length(), p + deleted);
            return sql.substring(0, p) + text + sql.substring(q);
        });
    }

    @Property(tries = 3000)
    void mutationsGiveAResultOrATypedError(@ForAll("mutatedStatements") String sql) {
        try {
            SqlRewriter.rewrite(sql, SqlRewriterTest.RESOLVER);
        } catch (SqlParseException | RewriteRefusedException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** The gateway's single pre-scan answers exactly what the three pre-checks it replaces answer together. */
    @Property(tries = 5000)
    void theOnePassPrescanIsTheThreePreChecks(@ForAll("mutatedStatements") String sql) {
        assertThat(Prescan.mightNeedParse(sql)).as(sql).isEqualTo(SqlRewriter.mightReference(sql)
                || StatementPolicy.mightRefuse(sql) || Lexer.mightBeTooDeep(sql));
    }

    @Property(tries = 3000)
    void theOnePassPrescanIsTheThreePreChecksOnArbitraryText(@ForAll("arbitraryText") String sql) {
        assertThat(Prescan.mightNeedParse(sql)).as(sql).isEqualTo(SqlRewriter.mightReference(sql)
                || StatementPolicy.mightRefuse(sql) || Lexer.mightBeTooDeep(sql));
    }

    @Provide
    Arbitrary<String> arbitraryText() {
        Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.of(INSERTS), Arbitraries.of("SELECT ", "FROM ", "JOIN ",
                "url", "Engine", "eNGINE", "file", "system", "SETTINGS", "(", "[", "{", ")", "]", "}", " ", "\t", "\n",
                "x1", "_", "é", "ℵ", "a.b", "FUNCTION ", "numbers(", "remote (", "s3Cluster(", "engines"),
                Arbitraries.strings().ofMaxLength(6));
        return piece.list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Test
    void theOnePassPrescanSeesNestingTooDeep() {
        String deep = "SELECT " + "(".repeat(Lexer.MAX_DEPTH + 1) + "1" + ")".repeat(Lexer.MAX_DEPTH + 1);
        assertThat(Prescan.mightNeedParse(deep)).isTrue();
        assertThat(Prescan.mightNeedParse("SELECT " + "[".repeat(Lexer.MAX_DEPTH) + "]".repeat(Lexer.MAX_DEPTH)))
                .isFalse();
        for (String statement : CORPUS) {
            assertThat(Prescan.mightNeedParse(statement)).as(statement).isEqualTo(SqlRewriter.mightReference(statement)
                    || StatementPolicy.mightRefuse(statement) || Lexer.mightBeTooDeep(statement));
        }
    }

    /** The cheap pre-check may say "maybe" wrongly, never "no" wrongly: that would let a reference through unseen. */
    @Property(tries = 3000)
    void thePreCheckNeverMissesWhatTheParserFinds(@ForAll("mutatedStatements") String sql) {
        List<Reference> found;
        try {
            found = ReferenceFinder.find(ParsedStatement.of(sql));
        } catch (SqlParseException unreadable) {
            return;
        }
        if (!found.isEmpty()) {
            assertThat(SqlRewriter.mightReference(sql)).as(sql).isTrue();
        }
    }

    @Property(tries = 2000)
    void bytesOutsideRewrittenSpansNeverChange(@ForAll("mutatedStatements") String sql) {
        List<Reference> refs;
        try {
            refs = SqlRewriter.analyze(sql);
        } catch (SqlParseException unreadable) {
            return;
        }
        String marker = "\u0001";
        Resolver replaceAll = ref -> new Resolution.UseNamedCollection("nc", List.of());
        String out = SqlRewriter.rewriteSql(sql, replaceAll);
        // Rebuild the expected output from the original text and the spans: only spans may differ.
        StringBuilder expected = new StringBuilder();
        int copied = 0;
        for (Reference ref : refs) {
            if (ref.start() < copied) {
                continue;
            }
            expected.append(sql, copied, ref.start()).append(marker);
            copied = ref.end();
        }
        expected.append(sql, copied, sql.length());
        String[] outside = expected.toString().split(marker, -1);
        int from = 0;
        for (String piece : outside) {
            int found = out.indexOf(piece, from);
            assertThat(found).as("unchanged text '%s'", piece).isGreaterThanOrEqualTo(from);
            from = found + piece.length();
        }
    }

    @Test
    void hostileInputsTakeLinearTime() {
        for (String unit : List.of("(", "'", "postgresql(", "/*", "mysql(mysql(")) {
            long small = time(unit, 1 << 20);
            long large = time(unit, 10 << 20);
            // Ten times the input may take at most ~30 times as long (generous for GC and JIT noise), never n².
            assertThat(large).as("10 MB of '%s' vs 1 MB", unit).isLessThan(Math.max(30 * small, 2_000_000_000L));
        }
    }

    private static long time(String unit, int bytes) {
        String hostile = "SELECT * FROM mysql(" + unit.repeat(bytes / unit.length());
        long start = System.nanoTime();
        try {
            SqlRewriter.rewrite(hostile, SqlRewriterTest.RESOLVER);
        } catch (SqlParseException | RewriteRefusedException expected) {
            // a typed error is the right answer; the time is what is measured
        }
        return System.nanoTime() - start;
    }
}
