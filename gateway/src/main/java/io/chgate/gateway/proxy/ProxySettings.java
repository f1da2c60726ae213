package io.chgate.gateway.proxy;

import io.chgate.gateway.admin.AccessLog;
import io.chgate.gateway.admin.GatewayMetrics;
import io.chgate.gateway.auth.GatewayUsers;
import io.chgate.gateway.intercept.QueryInterceptor;
import java.time.Duration;

/** What every exchange of one gateway shares. */
record ProxySettings(
        UpstreamPool pool,
        QueryInterceptor interceptor,
        String upstreamName,
        int maxQueryBytes,
        Duration idleTimeout,
        Duration requestTimeout,
        /** Longest a connection may wait for (or take to send) a complete request head. */
        Duration headerTimeout,
        /** The gateway's users, or null when clients authenticate to ClickHouse directly. */
        GatewayUsers users,
        GatewayMetrics metrics,
        /** The access log, or null when it is off. */
        AccessLog accessLog) {
}
