package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * chgate's token boundaries are ClickHouse's (finding C5): each case here is a place where the two differed, so a
 * reference ClickHouse runs was invisible to chgate's policy.
 */
class LexerParityTest {
    static final String REF = "postgresql('127.0.0.1:1', 'd', 't', 'u', 'p')";

    /** ClickHouse's skipWhitespacesUTF8 set. */
    @ParameterizedTest
    @ValueSource(ints = {0x85, 0xA0, 0x180E, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
        0x2009, 0x200A, 0x200B, 0x200C, 0x200D, 0x2028, 0x2029, 0x202F, 0x205F, 0x2060, 0x3000, 0xFEFF})
    void unicodeSpacesSeparateTokens(int codePoint) {
        String space = new String(Character.toChars(codePoint));
        String sql = "SELECT" + space + "*" + space + "FROM" + space + "postgresql" + space
                + "('127.0.0.1:1',\u00A0'd', 't', 'u', 'p')";
        assertThat(SqlRewriter.mightReference(sql)).isTrue();
        assertThat(SqlRewriter.analyze(sql)).extracting(Reference::name).containsExactly("postgresql");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x1680, 0x2030, 0x0430, 0x00E9, 0xFFFD})
    void otherNonAsciiOutsideQuotesIsAnError(int codePoint) {
        String sql = "SELECT 1 AS x" + new String(Character.toChars(codePoint)) + " FROM " + REF;
        assertThatThrownBy(() -> Lexer.tokenize(sql)).isInstanceOf(SqlParseException.class);
    }

    @Test
    void unicodeQuotesAreStringsAndIdentifiers() {
        Tokens t = Lexer.tokenize("SELECT \u2018it's -- not a comment\u2019, \u201Ccol\u201D");
        assertThat(t.type(1)).isEqualTo(TokenType.STRING);
        assertThat(t.type(3)).isEqualTo(TokenType.QUOTED_IDENTIFIER);
        assertThat(t.size()).isEqualTo(4);
        // a quote inside ‘…’ does not open a string, so the reference after it is code
        assertThat(SqlRewriter.analyze("SELECT \u2018'\u2019 AS a, * FROM " + REF + " AS x, \u2018'\u2019 AS b"))
                .hasSize(1);
        assertThat(SqlRewriter.analyze("SELECT * FROM \u201Cfile\u201D('/etc/passwd', 'LineAsString')"))
                .extracting(Reference::source).containsExactly("file");
    }

    @Test
    void dollarSignsBelongToWords() {
        // ClickHouse reads c$q$ as one identifier: no heredoc opens at $q$, so the reference is code.
        String sql = "SELECT 1 AS c$q$, " + REF + " AS p, '$q$' AS s";
        assertThat(SqlRewriter.analyze(sql)).extracting(Reference::name).containsExactly("postgresql");
        assertThat(Lexer.tokenize("SELECT $x$ hidden " + REF + " $x$").type(1)).isEqualTo(TokenType.HEREDOC);
        assertThatThrownBy(() -> Lexer.tokenize("SELECT $ x$ y $ x$")).isInstanceOf(SqlParseException.class);
    }

    @Test
    void doubleSlashStartsAComment() {
        // To ClickHouse the quote is inside a comment; chgate once read a string from it to the next quote.
        String sql = "SELECT 1 // don't\n, " + REF + " AS x, 'y'";
        assertThat(SqlRewriter.analyze(sql)).extracting(Reference::name).containsExactly("postgresql");
        assertThat(InsertData.dataStart("INSERT INTO t // FORMAT TSV\nSELECT * FROM " + REF))
                .isEqualTo(InsertData.NOT_INSERT_DATA);
    }

    @Test
    void hashIsACommentOnlyBeforeASpaceOrBang() {
        assertThat(Lexer.tokenize("SELECT 1 # " + REF).size()).isEqualTo(2);
        assertThatThrownBy(() -> Lexer.tokenize("SELECT 1 #x")).isInstanceOf(SqlParseException.class);
    }

    @Test
    void insertDataStartsWhereClickHouseSaysAcrossUnicodeSpaces() {
        String text = "INSERT\u00A0INTO t\u3000FORMAT\u2003TSV\n1\n";
        assertThat(InsertData.dataStart(text)).isEqualTo(text.indexOf('\n') + 1);
        // the same, as the byte view a request body is scanned in
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String bytes = new String(utf8, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(InsertData.dataStart(bytes)).isEqualTo(bytes.indexOf('\n') + 1);
        assertThat(InsertData.dataStart("INSERT INTO t \u2018FORMAT TSV\n\u2019 SELECT 1")).isNotEqualTo(
                "INSERT INTO t \u2018FORMAT TSV\n".length());
    }

    @Test
    void nestingDeeperThanClickHouseParsesIsRefused() {
        String deep = "SELECT " + "(".repeat(Lexer.MAX_DEPTH + 1) + "1" + ")".repeat(Lexer.MAX_DEPTH + 1);
        assertThat(Lexer.mightBeTooDeep(deep)).isTrue();
        assertThatThrownBy(() -> Lexer.tokenize(deep)).isInstanceOf(SqlParseException.TooDeep.class);
        String fine = "SELECT " + "(".repeat(200) + "1" + ")".repeat(200) + ", '" + "(".repeat(2000) + "'";
        assertThat(Lexer.tokenize(fine).size()).isGreaterThan(400);
        assertThat(List.of(Lexer.mightBeTooDeep("SELECT 1"))).containsExactly(false);
    }
}
