package io.chgate.gateway.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret that lets a request into an engine's HTTP port: the embedded engine's (random, per process, never
 * written anywhere) or a {@code chgate engine} node's (read from a file chgate and the node share). Only the
 * gateway's upstream connections send it ({@link EngineKeyWriter}); the engine refuses every request without it.
 * It never appears in a log, an error, a response or {@link #toString}.
 */
public final class EngineKey {
    public static final AsciiString HEADER = AsciiString.cached("X-Chgate-Engine-Key");
    private static final int RANDOM_BYTES = 32;
    private static final int MIN_FILE_LENGTH = 32;

    private final String value;
    private final byte[] bytes;

    private EngineKey(String value) {
        this.value = value;
        this.bytes = value.getBytes(StandardCharsets.UTF_8);
    }

    /** 32 bytes from the system's secure random source, as hex. */
    public static EngineKey random() {
        byte[] secret = new byte[RANDOM_BYTES];
        new SecureRandom().nextBytes(secret);
        return new EngineKey(HexFormat.of().formatHex(secret));
    }

    /** The key in a file (surrounding whitespace ignored); at least 32 characters, so it cannot be guessed. */
    public static EngineKey fromFile(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IOException("cannot read the engine key file " + file + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
        if (text.length() < MIN_FILE_LENGTH || text.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IOException("the engine key in " + file + " must be at least " + MIN_FILE_LENGTH
                    + " printable ASCII characters (e.g. openssl rand -hex 32)");
        }
        return new EngineKey(text);
    }

    /** Whether the request presents this key; compared in constant time. */
    public boolean presentedIn(HttpHeaders headers) {
        String presented = headers.get(HEADER);
        return presented != null && MessageDigest.isEqual(bytes, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts the key on a request, in place of whatever value of that header it carried. */
    public void addTo(HttpHeaders headers) {
        headers.set(HEADER, value);
    }

    @Override
    public String toString() {
        return "EngineKey[hidden]";
    }
}
