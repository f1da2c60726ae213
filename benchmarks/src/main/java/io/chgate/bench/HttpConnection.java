package io.chgate.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One keep-alive HTTP/1.1 connection that reads responses with Content-Length or chunked bodies. */
final class HttpConnection implements AutoCloseable {
    private static final int ERROR_TEXT = 300;

    /**
     * What a load driver keeps of a response: its status, its {@code X-Cache} header (null without one), the body's
     * length, the start of the body when the status is not 200, and whether the connection may be used again.
     */
    record Response(int status, String cacheStatus, long bodyBytes, String errorText, boolean keepAlive) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[256 * 1024];

    HttpConnection(URI target) throws IOException {
        this(new Socket(target.getHost(), target.getPort()));
    }

    /** Over a socket already open (e.g. a TLS one). */
    HttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 256 * 1024);
        out = socket.getOutputStream();
    }

    /** Sends the request and reads the whole response; a status other than 200 is an exception. */
    void exchange(byte[] request, long[] bodyBytes) throws IOException {
        Response response = exchange(request);
        if (response.status() != 200) {
            throw new IOException("unexpected status: " + response.status() + " " + response.errorText());
        }
        if (bodyBytes != null) {
            bodyBytes[0] = response.bodyBytes();
        }
    }

    /** Sends the request and reads the whole response, whatever its status. */
    Response exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean keepAlive = true;
        String cacheStatus = null;
        for (String l = line(); !l.isEmpty(); l = line()) {
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                contentLength = Long.parseLong(l.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                keepAlive = false;
            } else if (lower.startsWith("x-cache:")) {
                cacheStatus = l.substring(8).trim();
            }
        }
        StringBuilder errorText = status == 200 ? null : new StringBuilder();
        long total = 0;
        if (chunked) {
            for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(), 16)) {
                read(size, errorText);
                total += size;
                line();
            }
            line();
        } else if (contentLength >= 0) {
            read(contentLength, errorText);
            total = contentLength;
        } else {
            keepAlive = false;   // a body that ends when the connection does: the connection is spent
        }
        return new Response(status, cacheStatus, total, errorText == null ? null : errorText.toString().trim(),
                keepAlive);
    }

    /** Reads {@code n} body bytes, keeping the first few in {@code text} when one is given. */
    private void read(long n, StringBuilder text) throws IOException {
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("connection closed mid-body");
            }
            if (text != null && text.length() < ERROR_TEXT) {
                text.append(new String(buf, 0, Math.min(r, ERROR_TEXT - text.length()), StandardCharsets.UTF_8));
            }
            n -= r;
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
