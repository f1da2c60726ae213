package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import io.chgate.sql.SqlText;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, rows 1, 2 and 7 end to end on the embedded ClickHouse 26 engine: settings that carry SQL, settings that
 * name a file, and unlimited resources, sent as SQL, as URL parameters and as form fields. The target is the stack's
 * OpenBao token file, which chgate's process can read; no answer may hold a byte of it. Assertions compare booleans,
 * so a failure never prints the token.
 *
 * <p>The SQL cases hold with {@code StatementPolicy} alone; the URL and form cases hold once the gateway asks
 * {@code SettingsPolicy.check(name, value)} for every request parameter and form field.
 */
class RedTeamSettingsTest {
    static LocalStack stack;
    static EmbeddedGateway gateway;
    static Path tokenFile;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        tokenFile = LocalStack.stateDir().resolve("secrets/openbao_root_token");
        token = Files.readString(tokenFile).strip();
        assertThat(token.length()).as("the token file holds a token").isGreaterThan(8);
        gateway = new EmbeddedGateway(stack)
                .integration("settings_pg", "postgresql", stack.pgPort(), "shop", stack.pgUser(), stack.pgPassword())
                .start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static Response exchange(String method, String target, List<RawHttp.Header> headers, String body)
            throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.port())) {
            return c.exchange(RawHttp.request(method, target, headers,
                    body == null ? null : body.getBytes(StandardCharsets.UTF_8)), false);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void refusedWithoutTheToken(Response r, String what) {
        String body = r.bodyText();
        assertThat(body.contains(token) || body.contains(token.substring(0, 8))).as(what + ": token in the answer")
                .isFalse();
        assertThat(r.status()).as(what + ": status").isBetween(400, 599);
        assertThat(r.header("X-ClickHouse-Exception-Code")).as(what + ": error code").isNotNull();
        assertThat(body.startsWith("Code: ") && body.contains("chgate")).as(what + ": chgate's refusal").isTrue();
    }

    private static String fileRead() {
        return "(SELECT toUInt64(any(line)) FROM file(" + SqlText.quoteString(tokenFile.toString())
                + ", 'LineAsString'))";
    }

    @Test
    void row1SqlInASettingIsRefusedInSql() throws IOException {
        String filter = SqlText.quoteString("x = " + fileRead());
        for (String sql : List.of(
                "SELECT 1 AS x SETTINGS additional_result_filter = " + filter,
                "SELECT 1 AS x SETTINGS `additional_result_filter` = " + filter,
                "SELECT 1 AS x FORMAT TSV SETTINGS \"additional_result_filter\" = " + filter,
                "SELECT * FROM system.one SETTINGS additional_table_filters = {'system.one': "
                        + SqlText.quoteString("dummy = " + fileRead()) + "}",
                "SET additional_result_filter = " + filter)) {
            refusedWithoutTheToken(exchange("POST", "/", List.of(), sql), "SQL");
            refusedWithoutTheToken(exchange("GET", q(sql), List.of(), null), "SQL in the URL");
        }
        assertThat(exchange("POST", "/", List.of(), "SELECT 1 SETTINGS max_block_size = 10").bodyText())
                .isEqualTo("1\n");
    }

    @Test
    void row1SqlInASettingIsRefusedAsAUrlParameter() throws IOException {
        String target = q("SELECT 1 AS x") + "&additional_result_filter=" + enc("x = " + fileRead());
        refusedWithoutTheToken(exchange("GET", target, List.of(), null), "URL parameter");
    }

    @Test
    void row1SqlInASettingIsRefusedAsAFormField() throws IOException {
        String boundary = "chgateSettings21";
        String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=additional_result_filter\r\n\r\n"
                + "x = " + fileRead() + "\r\n--" + boundary + "--\r\n";
        refusedWithoutTheToken(exchange("POST", q("SELECT 1 AS x"), List.of(new RawHttp.Header("Content-Type",
                "multipart/form-data; boundary=" + boundary)), form), "form field");
    }

    @Test
    void row2AFileNamedByAFormatSettingIsRefused() throws IOException {
        String path = SqlText.quoteString(tokenFile.toString());
        refusedWithoutTheToken(exchange("POST", "/", List.of(),
                "SELECT 1 FORMAT Template SETTINGS format_template_row = " + path), "SQL");
        refusedWithoutTheToken(exchange("POST", "/", List.of(),
                "SELECT 1 FORMAT Template SETTINGS format_template_resultset = " + path), "SQL");
        refusedWithoutTheToken(exchange("GET", q("SELECT 1") + "&default_format=Template&format_template_row="
                + enc(tokenFile.toString()), List.of(), null), "URL parameter");
    }

    @Test
    void row7UnlimitedMemoryAndManyThreadsAreRefused() throws IOException {
        for (String sql : List.of("SELECT 1 SETTINGS max_memory_usage = 0", "SELECT 1 SETTINGS max_threads = 256",
                "SET max_memory_usage = 0")) {
            Response r = exchange("POST", "/", List.of(), sql);
            assertThat(r.status()).as(sql + ": " + r.bodyText()).isBetween(400, 599);
            assertThat(r.bodyText()).startsWith("Code: ").contains("chgate");
        }
        for (String parameter : List.of("max_memory_usage=0", "max_threads=256")) {
            Response r = exchange("GET", q("SELECT 1") + "&" + parameter, List.of(), null);
            assertThat(r.status()).as(parameter + ": " + r.bodyText()).isBetween(400, 599);
            assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("452");
        }
    }

    @Test
    void unknownSettingsAreRefusedWhereverTheyArrive() throws IOException {
        Response sql = exchange("POST", "/", List.of(), "SELECT 1 SETTINGS profile = 'default'");
        assertThat(sql.status()).as(sql.bodyText()).isBetween(400, 499);
        Response url = exchange("GET", q("SELECT 1") + "&no_such_setting_21=1", List.of(), null);
        assertThat(url.status()).as(url.bodyText()).isBetween(400, 499);
        assertThat(url.header("X-ClickHouse-Exception-Code")).isEqualTo("115");
    }
}
