package io.chgate.gateway.proxy;

import io.chgate.gateway.http.AllowedNetworks;
import io.chgate.gateway.auth.GatewayUsers;
import io.chgate.gateway.intercept.QueryInterceptor;

/**
 * What decides on requests: the interceptor, the gateway's users (null when clients authenticate to ClickHouse
 * directly), the check of settings sent beside the SQL, and the ownership check where the upstream cannot tell
 * gateway users apart (null elsewhere), and the client addresses allowed to connect. A reload swaps it whole, so a request sees one
 * configuration from start to end.
 */
record Policy(QueryInterceptor interceptor, GatewayUsers users, SettingsStage settings, OwnershipStage ownership,
        AllowedNetworks networks) {

    Policy(QueryInterceptor interceptor, GatewayUsers users) {
        this(interceptor, users, SettingsStage.DEFAULT, null, AllowedNetworks.ANY);
    }

    Policy(QueryInterceptor interceptor, GatewayUsers users, SettingsStage settings) {
        this(interceptor, users, settings, null, AllowedNetworks.ANY);
    }
}
