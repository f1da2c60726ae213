package io.chgate.gateway.admin;

import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.QueryInterceptor;

/** What a reload puts a new configuration's users and interceptor into: the running listener. */
@FunctionalInterface
public interface Reloadable {
    void reload(GatewayConfig config, QueryInterceptor interceptor);
}
