package io.chgate.sql;

import static io.chgate.sql.InsertData.NEED_MORE;
import static io.chgate.sql.InsertData.NOT_INSERT_DATA;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InsertDataTest {

    /** {@code |} marks where the data must begin. */
    static Stream<String> withData() {
        return Stream.of(
                "INSERT INTO t FORMAT TSV\n|1\t2\n",
                "insert into t format TabSeparated \t\n|\tleading tab is data\n",
                "INSERT INTO t FORMAT TSV |1\t2",
                "INSERT INTO t FORMAT CSV\r\n|1,2",
                "INSERT INTO t VALUES |(1), (2)",
                "INSERT INTO t VALUES\n\n|(1)",
                "INSERT INTO TABLE db.t (a, b) VALUES |(1, 'x')",
                "INSERT INTO db.`format` FORMAT JSONEachRow\n|{}",
                "INSERT INTO values VALUES |(1)",
                "INSERT INTO t SETTINGS async_insert = 1, x = 'FORMAT' FORMAT TSV\n|1",
                "INSERT INTO FUNCTION postgresql('h:5432', 'db', 'orders', 'u', 'p') VALUES |(1)",
                "/* FORMAT TSV */ INSERT INTO t -- VALUES\n FORMAT Native\n|\u0001\u0002",
                "INSERT INTO t (`values`, \"format\") FORMAT CSV\n|1,2",
                "INSERT INTO t FORMAT TSV\n|",
                "INSERT INTO t $$FORMAT$$ FORMAT TSV\n|1");
    }

    @ParameterizedTest
    @MethodSource("withData")
    void findsWhereTheDataBegins(String marked) {
        int expected = marked.indexOf('|');
        String text = marked.substring(0, expected) + marked.substring(expected + 1);
        assertThat(InsertData.dataStart(text)).isEqualTo(expected);
    }

    static Stream<Arguments> withoutData() {
        return Stream.of(
                Arguments.of("SELECT 1", NOT_INSERT_DATA),
                Arguments.of("  select * from t format TSV", NOT_INSERT_DATA),
                Arguments.of("INSERT INTO t SELECT * FROM s", NOT_INSERT_DATA),
                Arguments.of("INSERT INTO t WITH 1 AS x SELECT x", NOT_INSERT_DATA),
                Arguments.of("INSERT INTO t FROM INFILE 'data.tsv' FORMAT TSV", NOT_INSERT_DATA),
                Arguments.of("INSERT INTO t VALUES;", NOT_INSERT_DATA),
                Arguments.of("CREATE TABLE t (x UInt8) ENGINE = Memory", NOT_INSERT_DATA),
                Arguments.of("", NEED_MORE),
                Arguments.of("  ", NEED_MORE),
                Arguments.of("INS", NEED_MORE),
                Arguments.of("INSERT INTO t FORM", NEED_MORE),
                Arguments.of("INSERT INTO t FORMAT TS", NEED_MORE),
                Arguments.of("INSERT INTO t FORMAT TSV", NEED_MORE),
                Arguments.of("INSERT INTO t VALUES", NEED_MORE),
                Arguments.of("INSERT INTO t SETTINGS x = 'unterminated", NEED_MORE),
                Arguments.of("INSERT INTO t /* unterminated comment", NEED_MORE),
                Arguments.of("INSERT INTO FUNCTION postgresql('h', 'db'", NEED_MORE));
    }

    @ParameterizedTest
    @MethodSource("withoutData")
    void tellsWhenThereIsNoDataOrNotEnoughText(String text, int expected) {
        assertThat(InsertData.dataStart(text)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void tellsValuesDataFromFormatData() {
        assertThat(InsertData.isValuesData("INSERT INTO t VALUES ")).isTrue();
        assertThat(InsertData.isValuesData("insert into t (a, b) values (1, 2)")).isTrue();
        assertThat(InsertData.isValuesData("INSERT INTO values VALUES /* c */ (1)")).isTrue();
        assertThat(InsertData.isValuesData("INSERT INTO values FORMAT Values\n(1)")).isFalse();
        assertThat(InsertData.isValuesData("INSERT INTO t FORMAT TSV\n")).isFalse();
        assertThat(InsertData.isValuesData("INSERT INTO t SELECT * FROM values('x UInt8', 1)")).isFalse();
        assertThat(InsertData.isValuesData("SELECT 'VALUES'")).isFalse();
    }
}
