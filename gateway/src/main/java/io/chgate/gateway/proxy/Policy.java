package io.chgate.gateway.proxy;

import io.chgate.gateway.auth.GatewayUsers;
import io.chgate.gateway.intercept.QueryInterceptor;

/**
 * What decides on requests: the interceptor and the gateway's users (null when clients authenticate to ClickHouse
 * directly). A reload swaps it whole, so a request sees one configuration from start to end.
 */
record Policy(QueryInterceptor interceptor, GatewayUsers users) {
}
