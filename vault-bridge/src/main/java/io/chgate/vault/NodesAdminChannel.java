package io.chgate.vault;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * chgate's admin statements on every ClickHouse node, one after the other (named collections are per node). A node
 * believed down is skipped, and one found unreachable is reported and skipped: it is brought current before it takes
 * requests again. A statement ClickHouse refuses fails at once, as on one node.
 */
public final class NodesAdminChannel implements AdminChannel {
    private final Map<String, AdminChannel> nodes;
    /** Nodes found unreachable before {@link #follow}: they are handed over then. */
    private final java.util.Set<String> foundDown = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Predicate<String> reachable = name -> !foundDown.contains(name);
    private volatile Consumer<String> unreachable = foundDown::add;

    /** @param nodes each node's name and its admin channel, in order */
    public NodesAdminChannel(Map<String, AdminChannel> nodes) {
        this.nodes = new LinkedHashMap<>(nodes);
    }

    /** Follows the gateway's view of the nodes: which to write to, and whom to tell of one found unreachable. */
    public void follow(Predicate<String> reachable, Consumer<String> unreachable) {
        foundDown.forEach(unreachable);
        this.reachable = reachable;
        this.unreachable = unreachable;
    }

    /** One node's own channel. */
    public AdminChannel node(String name) {
        return nodes.get(name);
    }

    @Override
    public String execute(String sql) {
        String first = null;
        AdminException down = null;
        for (Map.Entry<String, AdminChannel> node : nodes.entrySet()) {
            if (!reachable.test(node.getKey())) {
                continue;
            }
            try {
                String output = node.getValue().execute(sql);
                first = first == null ? output : first;
            } catch (AdminException e) {
                if (e.code() != 210) {
                    throw e;
                }
                unreachable.accept(node.getKey());
                down = e;
            }
        }
        if (first == null) {
            throw down != null ? down : new AdminException(210, "no ClickHouse node is reachable");
        }
        return first;
    }
}
