package io.chgate.gateway.embedded;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The login of chgate's admin when the engine serves as a node of several ({@code chgate engine}): its statements
 * (named collections, integration databases) pass the engine's second wall; everyone else's still meet it.
 *
 * @param passwordSha256 SHA-256 of the password
 */
public record EngineAdminLogin(String user, byte[] passwordSha256) {
    boolean matches(io.netty.handler.codec.http.HttpHeaders headers) {
        String key = headers.get("X-ClickHouse-Key");
        return user.equals(headers.get("X-ClickHouse-User")) && key != null
                && MessageDigest.isEqual(passwordSha256, sha256(key));
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
