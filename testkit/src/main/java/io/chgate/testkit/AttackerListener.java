package io.chgate.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener on loopback standing in for a host an attacker controls: it accepts and counts connections, and
 * says nothing. A test that points a credential at it proves the credential never left by asserting the count is 0.
 */
public final class AttackerListener implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();

    public AttackerListener() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptAll, "attacker-listener");
        accept.setDaemon(true);
        accept.start();
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                connections.incrementAndGet();
                client.close();
            } catch (IOException e) {
                return;
            }
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Connections received so far. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
