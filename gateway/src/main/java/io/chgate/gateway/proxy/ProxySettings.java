package io.chgate.gateway.proxy;

import io.chgate.gateway.observe.AccessLog;
import io.chgate.gateway.observe.GatewayMetrics;
import java.time.Duration;

/** What every exchange of one gateway shares. */
record ProxySettings(
        /** The ClickHouse nodes and which takes a request. */
        Upstreams upstreams,
        /** The interceptor and users in force; replaced whole by a reload, read once per request. */
        java.util.concurrent.atomic.AtomicReference<Policy> policy,
        int maxQueryBytes,
        Duration idleTimeout,
        Duration requestTimeout,
        /** Longest a connection may wait for (or take to send) a complete request head. */
        Duration headerTimeout,
        GatewayMetrics metrics,
        /** The access log, or null when it is off. */
        AccessLog accessLog,
        /** Whether a request may take an upstream connection now. */
        Admission admission,
        /** How a statement past its max_execution_time is stopped upstream. */
        StatementCancel cancel,
        /** The response caches and which user is answered from which; the same across reloads. */
        io.chgate.gateway.cache.ResponseCaches caches) {

    ProxySettings(Upstreams upstreams, java.util.concurrent.atomic.AtomicReference<Policy> policy, int maxQueryBytes,
            Duration idleTimeout, Duration requestTimeout, Duration headerTimeout, GatewayMetrics metrics,
            AccessLog accessLog, Admission admission, StatementCancel cancel) {
        this(upstreams, policy, maxQueryBytes, idleTimeout, requestTimeout, headerTimeout, metrics, accessLog,
                admission, cancel, io.chgate.gateway.cache.ResponseCaches.NONE);
    }

    ProxySettings(Upstreams upstreams, java.util.concurrent.atomic.AtomicReference<Policy> policy, int maxQueryBytes,
            Duration idleTimeout, Duration requestTimeout, Duration headerTimeout, GatewayMetrics metrics,
            AccessLog accessLog, Admission admission) {
        this(upstreams, policy, maxQueryBytes, idleTimeout, requestTimeout, headerTimeout, metrics, accessLog,
                admission, StatementCancel.CONNECTION_CLOSE);
    }
}
