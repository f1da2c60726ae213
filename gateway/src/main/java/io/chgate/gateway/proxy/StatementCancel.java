package io.chgate.gateway.proxy;

/**
 * Stops a statement upstream that chgate has stopped waiting for ({@code max_execution_time}). Closing the upstream
 * connection, which chgate always does, stops it on the embedded engine and on {@code chgate engine} nodes; a
 * ClickHouse server keeps running a statement whose client went away, so there it is killed by its query id.
 */
interface StatementCancel {
    /** Nothing more than the closed connection is needed. */
    StatementCancel CONNECTION_CLOSE = (node, queryId, clickhouseUser) -> { };

    /**
     * Asks the node to stop the statement; returns at once (the asking happens elsewhere).
     *
     * @param node the node the statement was sent to ({@link Upstreams.Node#name()})
     * @param clickhouseUser the ClickHouse login it runs as, or null when unknown
     */
    void cancel(String node, String queryId, String clickhouseUser);
}
