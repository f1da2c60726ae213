package io.chgate.gateway.embedded;

import io.netty.channel.Channel;

/**
 * Lets an engine worker wait while its connection's outbound buffer is full, so the engine produces no faster than
 * the client reads. One per connection; the event loop signals it when the channel's writability changes.
 */
final class Writability {
    private final Object monitor = new Object();

    /** Blocks the calling worker until the channel can take more, or is closed. */
    void await(Channel channel) {
        synchronized (monitor) {
            while (channel.isActive() && !channel.isWritable()) {
                try {
                    monitor.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    void changed() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }
}
