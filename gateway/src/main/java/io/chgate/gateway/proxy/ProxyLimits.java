package io.chgate.gateway.proxy;

/** Sizes fixed by design rather than by configuration. */
final class ProxyLimits {
    /** Largest body piece handed through the pipeline at once; bigger pieces only add copying. */
    static final int CHUNK_SIZE = 256 * 1024;

    private ProxyLimits() {
    }
}
