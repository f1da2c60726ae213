package io.chgate.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A deliberately plain HTTP/1.1 client on a socket, for tests that must control and see every byte: framing,
 * keep-alive reuse, pipelining, {@code Expect}, interim responses. Library clients hide exactly those.
 */
final class RawHttp implements Closeable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(String host, int port) throws IOException {
        this(host, port, null);
    }

    /** A connection from a given local address (e.g. 127.0.0.2, to be another client of a loopback server). */
    RawHttp(String host, int port, String fromAddress) throws IOException {
        socket = new Socket();
        if (fromAddress != null) {
            socket.bind(new InetSocketAddress(fromAddress, 0));
        }
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(120_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    record Header(String name, String value) {
    }

    /** A response; {@code body} is empty when it was only digested. */
    record Response(String statusLine, int status, List<Header> headers, byte[] body, long bodyLength,
            String sha256, boolean complete, List<Integer> interim) {

        String header(String name) {
            for (Header h : headers) {
                if (h.name().equalsIgnoreCase(name)) {
                    return h.value();
                }
            }
            return null;
        }

        List<String> headerValues(String name) {
            List<String> values = new ArrayList<>();
            for (Header h : headers) {
                if (h.name().equalsIgnoreCase(name)) {
                    values.add(h.value());
                }
            }
            return values;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static byte[] request(String method, String target, List<Header> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        boolean hasHost = false;
        boolean framed = false;
        for (Header h : headers) {
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
            hasHost |= h.name().equalsIgnoreCase("Host");
            framed |= h.name().equalsIgnoreCase("Content-Length") || h.name().equalsIgnoreCase("Transfer-Encoding");
        }
        if (!hasHost) {
            head.append("Host: localhost\r\n");
        }
        if (body != null && !framed) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) {
            return headBytes;
        }
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    static byte[] chunked(byte[] body, int chunkSize) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += chunkSize) {
            int n = Math.min(chunkSize, body.length - i);
            b.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.write(body, i, n);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        b.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    OutputStream output() {
        return out;
    }

    Response exchange(byte[] requestBytes, boolean head) throws IOException {
        send(requestBytes);
        return read(head, false);
    }

    /** Reads one response (skipping 1xx interim ones); with {@code digestOnly} the body is hashed, not kept. */
    Response read(boolean head, boolean digestOnly) throws IOException {
        List<Integer> interim = new ArrayList<>();
        while (true) {
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            List<Header> headers = new ArrayList<>();
            for (String l = line(); !l.isEmpty(); l = line()) {
                int colon = l.indexOf(':');
                headers.add(new Header(l.substring(0, colon), l.substring(colon + 1).trim()));
            }
            if (status >= 100 && status < 200) {
                interim.add(status);
                continue;
            }
            return body(statusLine, status, headers, head, digestOnly, interim);
        }
    }

    private Response body(String statusLine, int status, List<Header> headers, boolean head, boolean digestOnly,
            List<Integer> interim) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long length = 0;
        boolean complete = true;
        String te = null;
        String cl = null;
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("Transfer-Encoding")) {
                te = h.value().toLowerCase(Locale.ROOT);
            } else if (h.name().equalsIgnoreCase("Content-Length")) {
                cl = h.value();
            }
        }
        byte[] buf = new byte[64 * 1024];
        if (head || status == 204 || status == 304) {
            // no body
        } else if (te != null && te.contains("chunked")) {
            complete = false;
            try {
                while (true) {
                    String sizeLine = line();
                    int semicolon = sizeLine.indexOf(';');
                    long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                    if (size == 0) {
                        for (String l = line(); !l.isEmpty(); l = line()) {
                            // trailers
                        }
                        complete = true;
                        break;
                    }
                    long left = size;
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            throw new EOFException();
                        }
                        sha.update(buf, 0, n);
                        if (!digestOnly) {
                            kept.write(buf, 0, n);
                        }
                        left -= n;
                        length += n;
                    }
                    line();
                }
            } catch (EOFException | java.net.SocketException e) {
                complete = false;
            }
        } else if (cl != null) {
            long left = Long.parseLong(cl);
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    complete = false;
                    break;
                }
                sha.update(buf, 0, n);
                if (!digestOnly) {
                    kept.write(buf, 0, n);
                }
                left -= n;
                length += n;
            }
        } else {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                sha.update(buf, 0, n);
                if (!digestOnly) {
                    kept.write(buf, 0, n);
                }
                length += n;
            }
        }
        return new Response(statusLine, status, headers, kept.toByteArray(), length,
                HexFormat.of().formatHex(sha.digest()), complete, interim);
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed while reading a line");
            }
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
    }

    /** True when the peer has closed the connection (reads EOF within the timeout). */
    boolean closedByPeer(int timeoutMillis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(timeoutMillis);
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        } finally {
            socket.setSoTimeout(old);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
