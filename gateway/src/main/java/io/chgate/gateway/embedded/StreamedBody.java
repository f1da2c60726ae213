package io.chgate.gateway.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * A request body that arrives on the event loop and is read, as it arrives, by an engine worker. At most about
 * {@link #HIGH_WATER} bytes wait between the two: past it the connection stops reading until the worker has caught
 * up, so a body of any size costs a bounded amount of memory.
 */
final class StreamedBody extends InputStream {
    static final int HIGH_WATER = 8 << 20;
    static final int LOW_WATER = 2 << 20;

    private final Channel channel;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private byte[] current;
    private int position;
    private long waiting;
    private long received;
    private boolean ended;
    private boolean discarding;
    private String failure;

    StreamedBody(Channel channel) {
        this.channel = channel;
    }

    /** On the event loop: the next piece of the body (not retained). */
    synchronized void offer(ByteBuf content) {
        if (discarding || !content.isReadable()) {
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(content);
        chunks.add(bytes);
        waiting += bytes.length;
        received += bytes.length;
        if (waiting > HIGH_WATER) {
            channel.config().setAutoRead(false);
        }
        notifyAll();
    }

    /** On the event loop: the body is complete. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** The body will not complete (the client went away): a reader gets an IOException. */
    synchronized void fail(String why) {
        failure = why;
        chunks.clear();
        notifyAll();
    }

    /** The request was answered before its body was read: the rest is read from the client and dropped. */
    synchronized void discard() {
        discarding = true;
        chunks.clear();
        waiting = 0;
        channel.config().setAutoRead(true);
    }

    /** Bytes received from the client so far. */
    synchronized long received() {
        return received;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (current == null || position == current.length) {
            if (failure != null) {
                throw new IOException(failure);
            }
            byte[] next = chunks.poll();
            if (next != null) {
                current = next;
                position = 0;
                waiting -= next.length;
                if (waiting < LOW_WATER && !channel.config().isAutoRead()) {
                    channel.config().setAutoRead(true);
                }
            } else if (ended) {
                return -1;
            } else {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the request body");
                }
            }
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, into, offset, n);
        position += n;
        return n;
    }
}
