package io.chgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Follows the part structure of a {@code multipart/form-data} body as it streams past, without holding it: reports
 * where each part begins, its name, whether it is a file, and where its content starts and ends, in absolute body
 * offsets. ClickHouse runs the URL's {@code query} followed by every non-file form field named {@code query}, so the
 * gateway must see each such field wherever in the form it comes.
 *
 * <p>Written by hand: Netty's multipart decoder materialises every part (files included) as objects, where this
 * needs only offsets and must stay a byte loop over buffers that are forwarded unchanged.
 *
 * <p>Strict by design: two parsers can disagree on a form's edges (a preamble, LF-only lines, folded or repeated
 * headers, {@code filename*=}, a repeated {@code name}), and where they disagree a query can hide. So only the
 * shape every client library sends is accepted — the body begins with its boundary, every line ends with CRLF, each
 * part has exactly one {@code Content-Disposition: form-data} with at most one {@code name} and one
 * {@code filename} — and anything else is refused.
 */
final class MultipartScanner {

    /** What the scanner reports. */
    interface Listener {
        /** A part's headers were read; its content starts at {@code contentStart}. */
        void onPart(long partStart, String name, boolean file, long contentStart);

        /** The current part's content ends at {@code contentEnd} (where the next delimiter's CRLF begins). */
        void onPartEnd(long contentEnd);

        /** The closing delimiter was read; nothing after it is part of the form. */
        void onEnd();
    }

    /** A part's header block may not be larger than this (ClickHouse's own forms carry a few short headers). */
    static final int MAX_PART_HEADERS = 16 * 1024;

    private enum State { CONTENT, AFTER_DELIMITER, HEADERS, EPILOGUE }

    /** {@code \n--boundary}: a delimiter line may end its previous line with CRLF or, leniently, with LF alone. */
    private final byte[] delimiter;
    private final Listener listener;
    private State state = State.CONTENT;
    /** How many bytes of {@link #delimiter} the last bytes matched. */
    private int matched;
    private boolean previousWasCr;
    /** Whether the delimiter being matched began with CRLF (the CR belongs to it, not to the content before). */
    private boolean delimiterAfterCr;
    private long offset;
    private long partStart;
    private boolean inPart;
    private boolean dashAfterDelimiter;
    private boolean seenDelimiter;
    private boolean emptyLine;
    private byte lastHeaderByte;
    private int headerLines;
    private final ByteArrayOutputStream headers = new ByteArrayOutputStream();

    MultipartScanner(String boundary, Listener listener) {
        this.delimiter = ("\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.listener = listener;
        this.matched = 1;   // the body's first delimiter has no line break before it
    }

    /** The boundary of a {@code multipart/form-data} Content-Type, or null when it names none. */
    static String boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String value = p.substring(9).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() || value.length() > 200 || value.indexOf('\n') >= 0 ? null : value;
            }
        }
        return null;
    }

    /** Bytes scanned so far. */
    long offset() {
        return offset;
    }

    boolean ended() {
        return state == State.EPILOGUE;
    }

    /**
     * Scans the readable bytes of {@code buf} (not consuming them).
     *
     * @throws MalformedFormException when a part's headers are larger than {@link #MAX_PART_HEADERS}
     */
    void scan(ByteBuf buf) {
        if (state == State.EPILOGUE) {
            offset += buf.readableBytes();
            return;
        }
        buf.forEachByte(buf.readerIndex(), buf.readableBytes(), processor);
    }

    private final ByteProcessor processor = b -> {
        step(b);
        offset++;
        return true;
    };

    private void step(byte b) {
        switch (state) {
            case CONTENT -> {
                if (!seenDelimiter && b != delimiter[matched]) {
                    throw new MalformedFormException("the form must begin with its boundary (no preamble)");
                }
                if (b == delimiter[matched]) {
                    if (matched == 0) {
                        delimiterAfterCr = previousWasCr;
                    }
                    if (++matched == delimiter.length) {
                        onDelimiter(offset + 1 - delimiter.length);
                    }
                } else {
                    // '\n' occurs only first in the delimiter (a boundary has no line break): a complete matcher.
                    if (b == '\n') {
                        matched = 1;
                        delimiterAfterCr = previousWasCr;
                    } else {
                        matched = 0;
                    }
                }
                previousWasCr = b == '\r';
            }
            case AFTER_DELIMITER -> {
                if (!dashAfterDelimiter && b == '-') {
                    dashAfterDelimiter = true;
                } else if (dashAfterDelimiter && b == '-') {
                    inPart = false;
                    state = State.EPILOGUE;
                    listener.onEnd();
                } else {
                    headers.reset();
                    lastHeaderByte = 0;
                    emptyLine = false;
                    headerLines = 0;
                    state = State.HEADERS;
                    header(b);
                }
            }
            case HEADERS -> header(b);
            case EPILOGUE -> {
            }
        }
    }

    private void onDelimiter(long newlineAt) {
        if (seenDelimiter && !delimiterAfterCr) {
            throw new MalformedFormException("a boundary line must follow CRLF, not a bare LF");
        }
        seenDelimiter = true;
        long delimiterStart = newlineAt < 0 ? 0 : delimiterAfterCr ? newlineAt - 1 : newlineAt;
        if (inPart) {
            listener.onPartEnd(delimiterStart);
        }
        partStart = delimiterStart;
        matched = 0;
        dashAfterDelimiter = false;
        state = State.AFTER_DELIMITER;
    }

    private void header(byte b) {
        headers.write(b);
        if (headers.size() > MAX_PART_HEADERS) {
            throw new MalformedFormException("a form part's headers are larger than " + MAX_PART_HEADERS + " bytes");
        }
        if (b == '\r') {
            lastHeaderByte = b;
            return;
        }
        if (b == '\n' && lastHeaderByte != '\r') {
            throw new MalformedFormException("a part's header lines must end with CRLF");
        }
        if ((b == ' ' || b == '\t') && lastHeaderByte == '\n' && headerLines >= 1) {
            throw new MalformedFormException("folded header lines are not accepted in a form part");
        }
        // The header block ends at an empty line; the line break right after the boundary starts it.
        if (b == '\n' && ++headerLines >= 2 && emptyLine) {
            onHeaders();
            return;
        }
        emptyLine = b == '\n';
        lastHeaderByte = b;
    }

    private void onHeaders() {
        String text = headers.toString(StandardCharsets.UTF_8);
        String name = null;
        boolean file = false;
        int dispositions = 0;
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
                if (++dispositions > 1) {
                    throw new MalformedFormException("a form part has more than one Content-Disposition");
                }
                java.util.List<String> params = splitParams(line.substring(colon + 1));
                if (!params.get(0).trim().equalsIgnoreCase("form-data")) {
                    throw new MalformedFormException("a form part's Content-Disposition must be form-data");
                }
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (String param : params.subList(1, params.size())) {
                    int eq = param.indexOf('=');
                    String key = (eq < 0 ? param : param.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                    if (!key.equals("name") && !key.equals("filename") || eq < 0 || !seen.add(key)) {
                        throw new MalformedFormException("a form part's Content-Disposition may carry one name and"
                                + " one filename, nothing else");
                    }
                    if (key.equals("name")) {
                        name = unquote(param.substring(eq + 1).trim());
                    } else {
                        file = true;
                    }
                }
            }
        }
        if (dispositions == 0) {
            throw new MalformedFormException("a form part has no Content-Disposition");
        }
        inPart = true;
        state = State.CONTENT;
        matched = 0;
        previousWasCr = false;
        delimiterAfterCr = false;
        listener.onPart(partStart, name, file, offset + 1);
    }

    /** Splits {@code form-data; name="a;b"; filename="x"} on the semicolons outside quotes. */
    private static java.util.List<String> splitParams(String value) {
        java.util.List<String> params = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                params.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        params.add(current.toString());
        return params;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }

    /** The form cannot be followed; the gateway refuses it rather than guess what ClickHouse would make of it. */
    static final class MalformedFormException extends RuntimeException {
        MalformedFormException(String message) {
            super(message, null, false, false);
        }
    }
}
