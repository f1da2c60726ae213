package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Header;
import io.chgate.testkit.LocalStack;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With {@code access_log_sql: true} each access-log line carries the query, every credential value masked. */
class AccessLogSqlTest {
    @Test
    void theQueryIsLoggedWithItsSecretsMasked() throws Exception {
        LocalStack stack = LocalStack.get();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> access =
                new ch.qos.logback.core.read.ListAppender<>();
        access.start();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("chgate.access")).addAppender(access);
        EmbeddedGateway g = new EmbeddedGateway(stack)
                .integration("log_pg", "postgresql", stack.pgPort(), "shop", stack.pgUser(), stack.pgPassword())
                .user("logger", "logger-pw", List.of("log_pg"));
        g.config.accessLog = true;
        g.config.accessLogSql = true;
        String secret = "typed-by-the-analyst-" + System.nanoTime();
        List<String> queries = List.of(
                "SELECT count() FROM postgresql('127.0.0.1:" + stack.pgPort() + "', 'shop', 'orders', 'bi', '"
                        + secret + "')",
                "CREATE USER intruder IDENTIFIED WITH plaintext_password BY '" + secret + "'",
                "SELECT 'unterminated",
                "SELECT * FROM mongodb('mongodb://bi:" + secret + "@127.0.0.1:27017/shop', 'orders', 'id UInt64')",
                "SELECT * FROM url('https://key:" + secret + "@127.0.0.1:9/x.csv', CSV)");
        try (EmbeddedGateway gateway = g.start()) {
            for (String sql : queries) {
                try (RawHttp c = new RawHttp("127.0.0.1", gateway.port())) {
                    c.exchange(RawHttp.request("POST", "/", List.of(new Header("X-ClickHouse-User", "logger"),
                            new Header("X-ClickHouse-Key", "logger-pw")), sql.getBytes(StandardCharsets.UTF_8)), false);
                }
            }
        }
        List<String> lines = access.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .toList();
        assertThat(lines).hasSize(5).allSatisfy(line -> assertThat(line).doesNotContain(secret));
        // A request's line is written when it ends, after its answer went out: the next request, on a connection of
        // another event loop, may be logged first. Each is found by what it holds.
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"sql\":\"SELECT count() FROM postgresql("
                + "'127.0.0.1:" + stack.pgPort() + "', 'shop', 'orders', '******', '******')\""));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("CREATE USER intruder").contains("BY '******'")
                .contains("\"status\":403"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"sql\":\"(unreadable: not logged)\""));
        // Refused statements (no integration covers them) are logged too, their URIs' user information masked.
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("mongodb://******@127.0.0.1:27017/shop")
                .contains("\"status\":403"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("FROM url("));
    }
}
