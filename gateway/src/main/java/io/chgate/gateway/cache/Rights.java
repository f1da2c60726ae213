package io.chgate.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chgate.gateway.auth.GatewayUser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * What decides which answer a gateway user gets, as one string for the cache key: the ClickHouse login its statements
 * run as (hashed: the key is never shown, but a password has no place in it either) and the integrations and sources
 * it may use. Two users with equal rights share answers; a user whose rights differ in anything gets its own.
 */
public final class Rights {
    private static final Cache<GatewayUser, String> KNOWN = Caffeine.newBuilder().maximumSize(10_000).build();

    private Rights() {
    }

    public static String of(GatewayUser user) {
        return KNOWN.get(user, Rights::describe);
    }

    private static String describe(GatewayUser user) {
        String login = user.clickhouseAuthorization() == null ? "-" : sha256(user.clickhouseAuthorization());
        String collections = user.allCollections() ? "*" : String.join(",", new TreeSet<>(user.collections()));
        return "login=" + login + ";collections=" + collections + ";sources="
                + String.join(",", new TreeSet<>(user.sources()));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
