package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request's text is lexed once, whichever checks read it and in whatever order. */
class ParsedStatementTest {
    private static final IntegrationDatabaseNames DATABASES = IntegrationDatabaseNames.of(Map.of("shop_db",
            "shop_pg"));

    /** Every check flags it: a trigger word, a reference, an integration database, brackets in a string. */
    private static final String EVERY_CHECK = "/* c */ (SELECT o.id, 'default' AS d, '" + "(".repeat(1001) + "' AS p"
            + " FROM shop_db.customers AS c JOIN postgresql('pg.prod:5432', 'shop', 'orders', 'u', 'p') AS o"
            + " ON o.id = c.id); SELECT 2";

    private static long lexedDuring(Runnable checks) {
        long before = Lexer.tokenizationsOnThisThread();
        checks.run();
        return Lexer.tokenizationsOnThisThread() - before;
    }

    @Test
    void everyCheckReadsTheOneLexing() {
        ParsedStatement parsed = ParsedStatement.of(EVERY_CHECK);
        assertThat(Lexer.mightBeTooDeep(EVERY_CHECK)).isTrue();
        assertThat(StatementPolicy.mightRefuse(EVERY_CHECK)).isTrue();
        assertThat(DATABASES.mightReach(EVERY_CHECK)).isTrue();
        String[] rewritten = new String[1];
        long lexed = lexedDuring(() -> {
            parsed.tokens();
            assertThat(DATABASES.defaultDatabaseRefusal(parsed, java.util.List.of("shop_db"))).isNull();
            assertThat(StatementPolicy.refusal(parsed)).isNull();
            assertThat(DATABASES.changeRefusal(parsed)).isNull();
            rewritten[0] = SqlRewriter.rewriteSql(parsed, SqlRewriterTest.RESOLVER);
            assertThat(DATABASES.reachedBy(parsed)).containsExactly("shop_pg");
            assertThat(SqlRewriter.analyze(parsed)).hasSize(1);
            assertThat(parsed.firstWord()).isEqualTo("select");
            assertThat(parsed.statementCount()).isEqualTo(2);
        });
        assertThat(lexed).isEqualTo(1);
        assertThat(rewritten[0]).contains("postgresql(shop_pg, table = 'orders')");
    }

    @Test
    void textNoCheckNeedsIsNeverLexed() {
        ParsedStatement parsed = ParsedStatement.of("SELECT count() FROM analytics.orders WHERE day = today()");
        assertThat(lexedDuring(() -> {
            assertThat(StatementPolicy.refusal(parsed)).isNull();
            assertThat(DATABASES.changeRefusal(parsed)).isNull();
            assertThat(SqlRewriter.rewriteSql(parsed, SqlRewriterTest.RESOLVER)).isSameAs(parsed.sql());
        })).isZero();
    }

    @Test
    void unreadableTextFailsEveryCheckFromOneTry() {
        ParsedStatement parsed = ParsedStatement.of("SYSTEM SHUTDOWN; SELECT * FROM postgresql('pg.prod:5432");
        assertThat(lexedDuring(() -> {
            assertThat(parsed.firstWord()).isNull();
            assertThatThrownBy(() -> StatementPolicy.refusal(parsed)).isInstanceOf(SqlParseException.class);
            assertThatThrownBy(() -> SqlRewriter.rewriteSql(parsed, SqlRewriterTest.RESOLVER))
                    .isInstanceOf(SqlParseException.class).hasMessageContaining("unterminated string");
        })).isEqualTo(1);
    }

    @Test
    void statementsAreTheNonEmptyRunsBetweenSemicolons() {
        ParsedStatement parsed = ParsedStatement.of("-- a\nSELECT ';' ; ; /* b */ (SYSTEM FLUSH LOGS);\n-- end\n");
        assertThat(parsed.statementCount()).isEqualTo(2);
        assertThat(parsed.statementText(0)).isEqualTo("-- a\nSELECT ';' ;");
        assertThat(parsed.statementText(1)).isEqualTo(" /* b */ (SYSTEM FLUSH LOGS);");
        assertThat(parsed.text(parsed.statementFrom(1) + 1)).isEqualTo("SYSTEM");
        assertThat(parsed.statementTo(1)).isEqualTo(parsed.tokens().size() - 1);
        assertThat(StatementPolicy.refusal(parsed)).contains("SYSTEM statements are not allowed");
    }
}
