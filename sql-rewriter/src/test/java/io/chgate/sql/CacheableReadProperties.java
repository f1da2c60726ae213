package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The cache's readers answer any text — half-written definitions, stray parentheses, parameters — without throwing,
 * and a text they cannot read is never cacheable and changes everything.
 */
class CacheableReadProperties {
    private static final String[] WORDS = {"CREATE ", "ATTACH ", "REPLACE ", "OR ", "TABLE ", "VIEW ",
        "MATERIALIZED ", "LIVE ", "ENGINE ", "= ", "AS ", "SELECT ", "FROM ", "WITH ", "(", ")", ",", ";", "t ",
        "db", ".", "now", "now() ", "today ", "IF ", "NOT ", "EXISTS ", "INSERT ", "INTO ", "FUNCTION ", "SHOW ",
        "DESCRIBE ", "{x:Identifier}", "{y:UInt8}", "'s' ", "arrayReduce(", "Buffer(", "Alias(", "dictGet(",
        "SYSTEM ", "RELOAD ", "DICTIONARY ", "1 ", "TO ", "GenerateRandom ", "s3(", "numbers(", "`q` ", "'",
        "sumIf(", "x -> ", "::", "Nullable(", "IN ", "OUTFILE ", "DROP ", "DATABASE ", "RENAME ", "EXCHANGE ",
        "TABLES ", "AND ", "OPTIMIZE ", "ALTER ", "UPDATE ", "DELETE ", "SET ", "\n", "-- c\n", "/* c */", "ADD ",
        "MODIFY ", "COLUMN ", "QUERY ", "ALIAS ", "DEFAULT ", "MATERIALIZED ", "EPHEMERAL ", "TTL ", "CODEC(",
        "ON CLUSTER c ", "rand() ", "myUdf(", "DateTime "};

    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.of(WORDS).list().ofMinSize(0).ofMaxSize(24).map(words -> String.join("", words));
    }

    @Property(tries = 5000)
    void theReadersAnswerAnyText(@ForAll("tokenSoup") String sql) {
        ParsedStatement statement = ParsedStatement.of(sql);
        CacheableRead.Verdict verdict = CacheableRead.of(statement, "db");
        assertThat(verdict.cacheable()).isEqualTo(verdict.reason() == null);
        java.util.Set<String> written = CacheableRead.written(statement, "db");
        CacheableRead.derivations(statement, "db");
        CacheableRead.uncacheableObjects(statement, "db");
        boolean readable;
        try {
            statement.tokens();
            readable = true;
        } catch (SqlParseException e) {
            readable = false;
        }
        if (!readable) {
            assertThat(verdict.cacheable()).isFalse();
            assertThat(written).containsExactly(CacheableRead.EVERYTHING);
        }
        if (verdict.cacheable()) {
            assertThat(written).as("a cacheable read changes nothing").isEmpty();
            Tokens t = statement.tokens();
            for (int i = 0; i + 1 < t.size(); i++) {
                if (t.type(i) == TokenType.WORD && t.type(i + 1) == TokenType.LPAREN) {
                    assertThat(statement.text(i)).as(sql).isNotIn("now", "s3", "GenerateRandom");
                }
            }
        }
    }
}
