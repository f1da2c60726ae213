package io.chgate.gateway.proxy;

import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.config.UpstreamAddress;
import io.chgate.vault.AdminChannel;
import io.chgate.vault.HttpAdminChannel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels a statement on a ClickHouse server with {@code KILL QUERY WHERE query_id = ... AND user = ...} through
 * chgate's admin login ({@code admin:}), on the node it was sent to. The user condition keeps a query id another
 * ClickHouse user happens to share out of reach. Kills run one after the other on a thread of their own, never on an
 * event loop.
 */
final class AdminKill implements StatementCancel {
    private static final Logger log = LoggerFactory.getLogger(AdminKill.class);

    private static final ExecutorService KILLS = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chgate-kill-query");
        t.setDaemon(true);
        return t;
    });

    /** Each node's URL by its name. */
    private final Map<String, URI> nodes;
    private final GatewayConfig.Admin admin;
    private final Map<String, AdminChannel> channels = new ConcurrentHashMap<>();

    private AdminKill(Map<String, URI> nodes, GatewayConfig.Admin admin) {
        this.nodes = nodes;
        this.admin = admin;
    }

    /** How statements are cancelled behind a gateway forwarding to {@code urls}, given its configuration. */
    static StatementCancel of(GatewayConfig config, List<String> urls, boolean engines) {
        if (engines) {
            return CONNECTION_CLOSE;   // the embedded engine and chgate engine nodes stop with the connection
        }
        Map<String, URI> nodes = new LinkedHashMap<>();
        for (String url : urls) {
            nodes.put(UpstreamAddress.parse(url).hostHeader(), URI.create(url));
        }
        return new AdminKill(nodes, config.admin);
    }

    @Override
    public void cancel(String node, String queryId, String clickhouseUser) {
        String sql = statement(queryId, clickhouseUser);
        KILLS.execute(() -> {
            try {
                channel(node).execute(sql);
            } catch (IOException | RuntimeException e) {
                log.warn("could not cancel statement {} on {}: {}", queryId, node, e.getMessage());
            }
        });
    }

    /** The KILL QUERY for one statement of one ClickHouse user. */
    static String statement(String queryId, String clickhouseUser) {
        return "KILL QUERY WHERE query_id = " + literal(queryId)
                + (clickhouseUser == null ? "" : " AND user = " + literal(clickhouseUser));
    }

    /** A ClickHouse string literal. */
    static String literal(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\'' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('\'').toString();
    }

    private AdminChannel channel(String node) throws IOException {
        AdminChannel channel = channels.get(node);
        if (channel == null) {
            URI url = nodes.get(node);
            if (url == null) {
                throw new IllegalStateException("no node named " + node);
            }
            String password = admin.passwordFile.isBlank() ? "" : Files.readString(Path.of(admin.passwordFile)).strip();
            channel = new HttpAdminChannel(url, admin.user, password);
            channels.put(node, channel);
        }
        return channel;
    }
}
