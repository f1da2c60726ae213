package io.chgate.gateway.proxy;

/**
 * Backpressure on the client's socket: it is read only while what arrives has somewhere to go. The body waits
 * unread while the verdict or the upstream connection is awaited, and streams only as fast as the upstream
 * connection takes it.
 */
final class ClientReading {
    private ClientReading() {
    }

    /**
     * Whether to read the client's socket now.
     *
     * @param backlogFull the pipelined messages waiting behind the request fill the backlog
     * @param upstreamWritable an upstream connection is bound and can take more bytes
     */
    static boolean wanted(boolean hasBody, boolean requestReceived, boolean backlogFull, BodyPhase phase,
            boolean upstreamWritable) {
        // A request without a body (or whose body is all in) holds nothing back: keep reading (pipelined requests
        // wait in the backlog, which stops reading when full), and spare the socket two epoll changes per request.
        if (!hasBody || requestReceived) {
            return !backlogFull;
        }
        return switch (phase) {
            case QUERY, DISCARD -> true;
            case HOLD -> false;
            case STREAM -> upstreamWritable;
        };
    }
}
