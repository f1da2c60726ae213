package io.chgate.gateway.proxy;

/** Where a request's body goes while its query is being decided and after. */
enum BodyPhase {
    /** Reading the body to find the SQL at its start. */
    QUERY,
    /** Query known, waiting for the verdict or the upstream connection; body pieces are held. */
    HOLD,
    /** Forwarding the body as it comes. */
    STREAM,
    /** The answer is already given; the rest of the body is read and dropped so the connection stays usable. */
    DISCARD
}
