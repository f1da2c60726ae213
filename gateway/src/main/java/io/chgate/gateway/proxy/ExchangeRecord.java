package io.chgate.gateway.proxy;

import io.chgate.gateway.observe.AccessLog;
import io.chgate.gateway.observe.GatewayMetrics;
import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ClickHouseHeaders;
import io.netty.util.AsciiString;

/**
 * What one request did, for the metrics and the access log: who sent it, what it was answered (by ClickHouse or by
 * the gateway), how long that took and how many bytes went each way. Counted as it goes; the request's line and
 * totals are recorded once, when it ends.
 */
final class ExchangeRecord {
    private static final AsciiString QUERY_ID = AsciiString.cached("X-ClickHouse-Query-Id");

    private final GatewayMetrics metrics;
    /** The access log, or null when it is off. */
    private final AccessLog accessLog;
    private final RequestFacts facts;
    private final String method;
    private final long startNanos = System.nanoTime();
    private String user;
    /** What the client was answered (0 while nothing was). */
    private int status;
    /** The ClickHouse error code the client was answered with (upstream's or chgate's), or null. */
    private String errorCode;
    private String queryId;
    private long requestBytes;
    private long responseBytes;
    /** The query as the client sent it, kept only for an access log that shows it (masked). */
    private String sql;
    private boolean recorded;

    ExchangeRecord(GatewayMetrics metrics, AccessLog accessLog, RequestFacts facts, String method) {
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.facts = facts;
        this.method = method;
    }

    long startNanos() {
        return startNanos;
    }

    void started(GatewayUser gatewayUser) {
        user = gatewayUser == null ? null : gatewayUser.name();
        metrics.requestStarted();
    }

    void received(long bytes) {
        requestBytes += bytes;
    }

    void query(String text) {
        if (accessLog != null && accessLog.withSql()) {
            sql = text;
        }
    }

    void rewritten() {
        metrics.rewritten(user);
    }

    /** ClickHouse began its answer, {@code nanos} after the request went to it. */
    void upstreamAnswered(ResponseHead head, long nanos) {
        metrics.upstreamAnswered(nanos);
        status = head.status();
        if (accessLog != null) {
            queryId = head.header(QUERY_ID);
        }
        if (status >= 400) {
            errorCode = head.header(ClickHouseHeaders.EXCEPTION_CODE);
        }
    }

    void upstreamEnded(long bodyBytes) {
        responseBytes = bodyBytes;
    }

    /** The gateway answered from its response cache. */
    void answeredFromCache(long bodyBytes) {
        status = 200;
        responseBytes = bodyBytes;
    }

    /** The gateway answered with its own error. */
    void refused(ClickHouseError error) {
        status = error.status().code();
        errorCode = Integer.toString(error.code().number());
        metrics.refused(error.code().number(), user);
    }

    /** The request ended, answered or not; only the first call records. */
    void finish() {
        if (recorded) {
            return;
        }
        recorded = true;
        metrics.requestFinished(status, method, user, requestBytes, responseBytes);
        if (accessLog != null) {
            accessLog.record(new AccessLog.Entry(String.valueOf(facts.clientAddress), user, method, facts.path,
                    status, errorCode, queryId, (System.nanoTime() - startNanos) / 1000, requestBytes, responseBytes,
                    sql));
        }
    }
}
