package io.chgate.gateway.proxy;

import static io.chgate.gateway.proxy.RewriteApplierTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.chgate.gateway.observe.AccessLog;
import io.chgate.gateway.observe.GatewayMetrics;
import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ExchangeRecordTest {
    final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    final Logger access = (Logger) LoggerFactory.getLogger("chgate.access");

    @BeforeEach
    void listen() {
        lines.start();
        access.addAppender(lines);
    }

    @AfterEach
    void stop() {
        access.detachAppender(lines);
    }

    @Test
    void anAnsweredRequestIsCountedAndLoggedOnceWithItsQueryIdAndBytes() {
        GatewayMetrics metrics = new GatewayMetrics();
        ExchangeRecord record = new ExchangeRecord(metrics, new AccessLog(true), new RequestFacts(get("/")), "POST");
        record.started(new GatewayUser("analyst", null, Set.of(), false));
        record.received(100);
        record.query("SELECT * FROM postgresql('h:5432', 'db', 't', 'u', 'hunter2')");
        record.rewritten();
        String head = "HTTP/1.1 200 OK\r\nX-ClickHouse-Query-Id: q-42\r\n\r\n";
        io.netty.buffer.ByteBuf bytes = io.netty.buffer.Unpooled.copiedBuffer(head,
                java.nio.charset.StandardCharsets.US_ASCII);
        record.upstreamAnswered(new ResponseHead(200, true, false, bytes, 0, bytes.writerIndex()), 1_000_000);
        bytes.release();
        record.upstreamEnded(7);
        record.finish();
        record.finish();
        assertThat(lines.list).hasSize(1);
        String line = lines.list.get(0).getFormattedMessage();
        assertThat(line).contains("\"user\":\"analyst\"", "\"method\":\"POST\"", "\"status\":200",
                "\"query_id\":\"q-42\"", "\"bytes_in\":100", "\"bytes_out\":7").doesNotContain("hunter2");
        String scrape = metrics.scrape();
        assertThat(scrape).contains("chgate_requests_total{method=\"POST\",status=\"200\",user=\"analyst\"} 1.0");
        assertThat(scrape).contains("chgate_rewrites_total{user=\"analyst\"} 1.0");
    }

    @Test
    void aRefusalRecordsTheGatewaysCodeAndNoSqlWithoutAskingForIt() {
        GatewayMetrics metrics = new GatewayMetrics();
        ExchangeRecord record = new ExchangeRecord(metrics, new AccessLog(false), new RequestFacts(get("/")), "GET");
        record.started(null);
        record.query("SELECT 1");
        record.refused(new ClickHouseError(ErrorCode.ACCESS_DENIED, "no"));
        record.finish();
        String line = lines.list.get(0).getFormattedMessage();
        assertThat(line).contains("\"status\":403", "\"error_code\":\"497\"").doesNotContain("SELECT");
        assertThat(metrics.scrape()).contains("chgate_refusals_total{code=\"497\",user=\"-\"} 1.0");
    }

    @Test
    void withoutAnAccessLogOnlyTheMetricsCount() {
        GatewayMetrics metrics = new GatewayMetrics();
        ExchangeRecord record = new ExchangeRecord(metrics, null, new RequestFacts(get("/")), "GET");
        record.started(null);
        record.finish();
        assertThat(lines.list).isEmpty();
        assertThat(metrics.scrape()).contains("chgate_requests_total{method=\"GET\",status=\"0\",user=\"-\"} 1.0");
    }
}
