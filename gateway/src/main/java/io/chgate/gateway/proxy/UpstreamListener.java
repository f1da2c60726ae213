package io.chgate.gateway.proxy;

/** The exchange an upstream connection currently serves; all calls arrive on the connection's event loop. */
interface UpstreamListener {

    void onUpstreamMessage(Object msg);

    void onUpstreamReadComplete();

    void onUpstreamWritabilityChanged(boolean writable);

    /** The connection closed or failed; {@code cause} is null for a plain close. */
    void onUpstreamGone(Throwable cause);
}
