package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SqlRewriterTest {
    static final CollectionResolver RESOLVER = new CollectionResolver(List.of(
            new CollectionResolver.Endpoint("postgresql", "pg.prod:5432", "shop", "shop_pg")
                    .scoped(false, List.of("public", "sales")),
            new CollectionResolver.Endpoint("mysql", "mysql.prod:3306", "crm", "crm_mysql"),
            new CollectionResolver.Endpoint("kafka", "kafka1:9092,kafka2:9092", null, "events_kafka")));

    static Stream<Arguments> rewrites() {
        return Stream.of(
                Arguments.of("SELECT * FROM postgresql('pg.prod:5432', 'shop', 'orders', 'u', 'p')",
                        "SELECT * FROM postgresql(shop_pg, table = 'orders')"),
                Arguments.of("select id from PostgreSQL('pg.prod:5432','shop','orders','u','p','sales') where id > 1",
                        "select id from PostgreSQL(shop_pg, table = 'orders', schema = 'sales') where id > 1"),
                Arguments.of("SELECT * FROM postgresql(host = 'pg.prod', port = 5432, database = 'shop', "
                                + "table = 'orders', user = 'u', password = 'p')",
                        "SELECT * FROM postgresql(shop_pg, table = 'orders')"),
                Arguments.of("SELECT * FROM mysql('mysql.prod:3306', 'crm', 'leads', 'u', 'p', 0)",
                        "SELECT * FROM mysql(crm_mysql, table = 'leads', replace_query = 0)"),
                Arguments.of("SELECT o.id, l.name FROM orders AS o JOIN mysql('mysql.prod:3306', 'crm', 'leads', 'u', 'p') AS l"
                                + " ON o.lead = l.id", "SELECT o.id, l.name FROM orders AS o JOIN mysql(crm_mysql, "
                                + "table = 'leads') AS l ON o.lead = l.id"),
                Arguments.of("SELECT * FROM a, postgresql('pg.prod:5432', 'shop', 'b', 'u', 'p') AS b",
                        "SELECT * FROM a, postgresql(shop_pg, table = 'b') AS b"),
                Arguments.of("WITH x AS (SELECT * FROM postgresql('pg.prod:5432','shop','t','u','p')) SELECT * FROM x",
                        "WITH x AS (SELECT * FROM postgresql(shop_pg, table = 't')) SELECT * FROM x"),
                Arguments.of("SELECT 1 WHERE id IN (SELECT id FROM (SELECT id FROM "
                                + "mysql('mysql.prod:3306','crm','t','u','p'))) UNION ALL SELECT 2",
                        "SELECT 1 WHERE id IN (SELECT id FROM (SELECT id FROM mysql(crm_mysql, table = 't'))) "
                                + "UNION ALL SELECT 2"),
                Arguments.of("INSERT INTO TABLE FUNCTION postgresql('pg.prod:5432', 'shop', 'orders', 'u', 'p') "
                                + "(id) VALUES (1)",
                        "INSERT INTO TABLE FUNCTION postgresql(shop_pg, table = 'orders') (id) VALUES (1)"),
                Arguments.of("CREATE TABLE t AS postgresql('pg.prod:5432', 'shop', 'orders', 'u', 'p')",
                        "CREATE TABLE t AS postgresql(shop_pg, table = 'orders')"),
                Arguments.of("CREATE VIEW v AS SELECT * FROM postgresql('pg.prod:5432', 'shop', 'orders', 'u', 'p')",
                        "CREATE VIEW v AS SELECT * FROM postgresql(shop_pg, table = 'orders')"),
                Arguments.of("CREATE TABLE t (id Int32) ENGINE = PostgreSQL('pg.prod:5432', 'shop', 'orders', 'u', 'p')",
                        "CREATE TABLE t (id Int32) ENGINE = PostgreSQL(shop_pg, table = 'orders')"),
                Arguments.of("CREATE TABLE t (id Int32) ENGINE=MySQL('mysql.prod:3306', 'crm', 'leads', 'u', 'p')",
                        "CREATE TABLE t (id Int32) ENGINE=MySQL(crm_mysql, table = 'leads')"),
                Arguments.of("CREATE DATABASE pg ENGINE = PostgreSQL('pg.prod:5432', 'shop', 'u', 'p', 'public')",
                        "CREATE DATABASE pg ENGINE = PostgreSQL(shop_pg, schema = 'public')"),
                Arguments.of("CREATE DATABASE IF NOT EXISTS m ENGINE = MySQL('mysql.prod:3306', 'crm', 'u', 'p')",
                        "CREATE DATABASE IF NOT EXISTS m ENGINE = MySQL(crm_mysql)"),
                Arguments.of("CREATE TABLE q (s String) ENGINE = Kafka('kafka1:9092,kafka2:9092', 'events', 'g1', "
                                + "'JSONEachRow')",
                        "CREATE TABLE q (s String) ENGINE = Kafka(events_kafka, kafka_topic_list = 'events', "
                                + "kafka_group_name = 'g1', kafka_format = 'JSONEachRow')"),
                Arguments.of("CREATE TABLE q (s String) ENGINE = Kafka SETTINGS kafka_broker_list = "
                                + "'kafka1:9092,kafka2:9092', kafka_topic_list = 'events', kafka_format = 'JSONEachRow',"
                                + " kafka_sasl_password = 'secret' COMMENT 'q'",
                        "CREATE TABLE q (s String) ENGINE = Kafka(events_kafka, kafka_topic_list = 'events', "
                                + "kafka_format = 'JSONEachRow') COMMENT 'q'"),
                Arguments.of("CREATE DICTIONARY d (id UInt64, v String) PRIMARY KEY id SOURCE(POSTGRESQL(port 5432 "
                                + "host 'pg.prod' user 'u' password 'p' db 'shop' table 'orders')) LAYOUT(FLAT()) "
                                + "LIFETIME(300)",
                        "CREATE DICTIONARY d (id UInt64, v String) PRIMARY KEY id SOURCE(POSTGRESQL(NAME shop_pg "
                                + "table 'orders')) LAYOUT(FLAT()) LIFETIME(300)"),
                Arguments.of("/* dashboard 7 */ SELECT count() -- the total\nFROM postgresql('PG.PROD:5432', 'shop', "
                                + "'orders', 'u', 'p') SETTINGS max_threads = 2 FORMAT JSON;",
                        "/* dashboard 7 */ SELECT count() -- the total\nFROM postgresql(shop_pg, table = 'orders') "
                                + "SETTINGS max_threads = 2 FORMAT JSON;"));
    }

    @ParameterizedTest
    @MethodSource("rewrites")
    void rewritesInlineArgumentsIntoTheNamedCollection(String sql, String expected) {
        String rewritten = SqlRewriter.rewriteSql(sql, RESOLVER);
        assertThat(rewritten).isEqualTo(expected);
        assertThat(rewritten).doesNotContain("'p'").doesNotContain("'u'").doesNotContain("secret");
    }

    @Test
    void aStatementWithoutReferencesComesBackAsTheSameInstance() {
        String sql = "SELECT postgresql_col, 'mysql(' FROM db.mysql WHERE x IN (SELECT 1) -- postgresql('h')";
        assertThat(SqlRewriter.rewriteSql(sql, RESOLVER)).isSameAs(sql);
        String plain = "SELECT count() FROM hits WHERE EventDate = today()";
        assertThat(SqlRewriter.rewriteSql(plain, RESOLVER)).isSameAs(plain);
        assertThat(SqlRewriter.mightReference(plain)).isFalse();
    }

    @Test
    void identifiersInPositionalFormAreInlineArgumentsNotACollection() {
        assertThatThrownBy(() -> SqlRewriter.rewriteSql(
                "SELECT * FROM mysql(\"evil.example:3306\", \"crm\", \"t\", \"u\", \"p\")", RESOLVER))
                .isInstanceOf(RewriteRefusedException.class).hasMessageContaining("evil.example:3306");
        assertThat(SqlRewriter.rewriteSql("SELECT * FROM mysql(`mysql.prod:3306`, `crm`, `leads`, `u`, `p`)", RESOLVER))
                .isEqualTo("SELECT * FROM mysql(crm_mysql, table = `leads`)");
        assertThat(SqlRewriter.analyze("SELECT * FROM postgresql(`shop_pg`, `table` = 'orders')").get(0)
                .namedCollection()).isEqualTo("shop_pg");
    }

    @Test
    void quotedFunctionNamesAndCommentsCannotHideAReference() {
        for (String sql : List.of(
                "SELECT * FROM `mysql`('evil.example:3306', 'crm', 't', 'u', 'p')",
                "SELECT * FROM \"PostgreSQL\"('evil.example:5432', 'shop', 't', 'u', 'p')",
                "SELECT * FROM mysql /* hidden */ ('evil.example:3306', 'crm', 't', 'u', 'p')",
                "SELECT * FROM mysql -- hidden\n('evil.example:3306', 'crm', 't', 'u', 'p')",
                "SELECT * FROM mysql\n\t('evil.example:3306', 'crm', 't', 'u', 'p')",
                "CREATE TABLE q (s String) ENGINE = kAfKa SETTINGS kafka_broker_list = 'evil:9092'")) {
            assertThat(SqlRewriter.mightReference(sql)).as(sql).isTrue();
            assertThatThrownBy(() -> SqlRewriter.rewriteSql(sql, RESOLVER)).as(sql)
                    .isInstanceOf(RewriteRefusedException.class);
        }
        assertThat(SqlRewriter.analyze("SELECT `mysql` FROM t").isEmpty()).as("a quoted column is not a call").isTrue();
    }

    @Test
    void aNamedCollectionReferencePassesAsWritten() {
        String sql = "SELECT * FROM postgresql(shop_pg, table = 'orders')";
        assertThat(SqlRewriter.rewriteSql(sql, RESOLVER)).isSameAs(sql);
    }

    @Test
    void anUnknownEndpointIsRefusedWithoutQuotingTheSecret() {
        assertThatThrownBy(() -> SqlRewriter.rewriteSql(
                "SELECT * FROM postgresql('evil.example:5432', 'shop', 'orders', 'u', 'hunter2')", RESOLVER))
                .isInstanceOf(RewriteRefusedException.class)
                .hasMessage("chgate: table function postgresql() points at postgresql endpoint evil.example:5432 "
                        + "database shop, which is not a configured integration")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void otherCredentialBearingSourcesAreFoundAndRefused() {
        List<Reference> refs = SqlRewriter.analyze("SELECT * FROM s3('https://b/k.csv', 'AKIA', 'SECRET', 'CSV') "
                + "UNION ALL SELECT * FROM url('http://x/y', CSV) UNION ALL SELECT * FROM remote('h:9000', db.t, "
                + "'u', 'p') UNION ALL SELECT * FROM mongodb('m:27017', 'db', 'c', 'u', 'p', 'x Int32')");
        assertThat(refs).extracting(Reference::source).containsExactly("s3", "url", "remote", "mongodb");
        assertThat(refs.get(0).arguments()).extracting(Argument::toString)
                .containsExactly("******", "arg1=******", "arg2=******", "arg3=******");
        assertThatThrownBy(() -> SqlRewriter.rewriteSql("SELECT * FROM s3('https://b/k.csv', 'AKIA', 'SECRET')",
                RESOLVER)).isInstanceOf(RewriteRefusedException.class)
                .hasMessageContaining("table function s3()").hasMessageNotContaining("SECRET");
    }

    @Test
    void referencesCarrySpansAndParsedArguments() {
        String sql = "SELECT * FROM postgresql('pg.prod:5432', 'shop', 'or''ders', 'u', 'p\\'w')";
        Reference ref = SqlRewriter.analyze(sql).get(0);
        assertThat(ref.kind()).isEqualTo(Reference.Kind.TABLE_FUNCTION);
        assertThat(sql.substring(ref.start(), ref.end())).startsWith("postgresql(").endsWith("'p\\'w')");
        assertThat(ref.argument("table").value()).isEqualTo("or'ders");
        assertThat(ref.argument("password").value()).isEqualTo("p'w");
        assertThat(ref.argument("password").displayValue()).isEqualTo("******");
        assertThat(ref.argument("host_port").value()).isEqualTo("pg.prod:5432");
    }

    @Test
    void hostileOverrideValuesStayOneLiteral() {
        Resolver hostile = ref -> new Resolution.UseNamedCollection("nc", List.of(
                Resolution.Override.string("table", "x'); DROP TABLE t; --\\")));
        String out = SqlRewriter.rewriteSql("SELECT * FROM postgresql('h:1', 'd', 't', 'u', 'p')", hostile);
        assertThat(out).isEqualTo("SELECT * FROM postgresql(nc, table = 'x\\'); DROP TABLE t; --\\\\')");
        Reference reparsed = SqlRewriter.analyze(out).get(0);
        assertThat(reparsed.argument("table").value()).isEqualTo("x'); DROP TABLE t; --\\");
    }

    @Test
    void unreadableTextIsATypedErrorThatDoesNotQuoteIt() {
        assertThatThrownBy(() -> SqlRewriter.analyze("SELECT * FROM mysql('h:1', 'd', 't', 'u', 'secret"))
                .isInstanceOf(SqlParseException.class).hasMessage("unterminated string literal at offset 42");
    }
}
