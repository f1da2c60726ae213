package io.chgate.gateway.cli;

import io.chgate.gateway.admin.Reloader;
import io.chgate.gateway.credentials.ManagedCredentials;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.vault.AdminChannel;

/** How chgate's own writes and its view of several ClickHouse nodes work together. */
public final class ClusterNodes {
    private ClusterNodes() {
    }

    /**
     * With several nodes: chgate's collection writes follow the gateway's view of them, and a node coming back is
     * brought current (collections, integration databases) before it takes requests.
     */
    public static void follow(GatewayServer server, AdminChannel adminChannel, Reloader reloader) {
        if (!(adminChannel instanceof io.chgate.vault.NodesAdminChannel nodes)) {
            return;
        }
        io.chgate.gateway.proxy.Upstreams upstreams = server.upstreams();
        nodes.follow(name -> upstreams.node(name) == null || upstreams.node(name).writable(),
                name -> upstreams.markDown(upstreams.node(name), "chgate's admin statement could not reach it"));
        upstreams.admitWith(node -> {
            ManagedCredentials current = reloader.credentials();
            return current == null ? java.util.concurrent.CompletableFuture.completedFuture(null)
                    : current.bringCurrent(nodes.node(node.name()));
        });
    }

}
