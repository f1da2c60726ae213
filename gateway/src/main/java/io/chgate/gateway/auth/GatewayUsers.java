package io.chgate.gateway.auth;

import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ClickHouseHeaders;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.http.AllowedNetworks;
import io.chgate.gateway.http.RawQueryString;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;

/**
 * The gateway's users: checks the credentials a request presents against the configured users, and turns the
 * request into one that runs as the user's own ClickHouse login. The client's credentials never reach ClickHouse,
 * and the ClickHouse credentials never reach the client.
 *
 * <p>Failed logins are counted per (client address, user name), per address and per user name ({@link LoginThrottle});
 * past a budget, logins it covers fail unchecked until a minute passes without one — so a password cannot be guessed
 * at line rate, and one client's failures do not lock out the other users of its address.
 */
public final class GatewayUsers {
    private static final String ALL = "*";

    private record Entry(byte[] passwordSha256, GatewayUser user, AllowedNetworks networks) {
    }

    private final Map<String, Entry> users;
    /** Users bound to a client certificate's subject ({@code tls_subject}). */
    private final Map<X500Principal, Entry> bySubject;
    private final LoginThrottle throttle;

    private GatewayUsers(Map<String, Entry> users, Map<X500Principal, Entry> bySubject, LoginThrottle throttle) {
        this.users = users;
        this.bySubject = bySubject;
        this.throttle = throttle;
    }

    /** The configured users, or null when none is configured (clients then authenticate to ClickHouse directly). */
    public static GatewayUsers fromConfig(GatewayConfig config) {
        if (config.users.isEmpty()) {
            return null;
        }
        boolean embedded = "embedded".equals(config.upstream.url);
        Map<String, String> collectionOf = config.integrations.stream().collect(
                Collectors.toMap(i -> i.name, GatewayConfig.Integration::collectionName));
        Map<String, Entry> users = new HashMap<>();
        Map<X500Principal, Entry> bySubject = new HashMap<>();
        for (GatewayConfig.User u : config.users) {
            Set<String> collections = u.integrations.stream().filter(name -> !ALL.equals(name))
                    .map(collectionOf::get).collect(Collectors.toUnmodifiableSet());
            String authorization = embedded ? null : basic(u.clickhouse.user, readPassword(u.clickhouse.passwordFile));
            // A user with a certificate and no password logs in by its certificate alone.
            Entry entry = new Entry(u.passwordSha256Hex == null ? null : HexFormat.of().parseHex(u.passwordSha256Hex),
                    new GatewayUser(u.name, authorization, collections, u.integrations.contains(ALL),
                            u.sources.stream().map(s -> s.toLowerCase(java.util.Locale.ROOT))
                                    .collect(Collectors.toUnmodifiableSet())),
                    AllowedNetworks.of(u.allowedNetworks));
            users.put(u.name, entry);
            if (u.tlsSubject != null && !u.tlsSubject.isBlank()) {
                bySubject.put(new X500Principal(u.tlsSubject), entry);
            }
        }
        GatewayConfig.Limits limits = config.limits;
        return new GatewayUsers(Map.copyOf(users), Map.copyOf(bySubject), new LoginThrottle(limits.authFailuresPerMinute,
                limits.authFailuresPerMinutePerAddress, limits.authFailuresPerMinutePerUser));
    }

    /**
     * The user the request authenticates as.
     *
     * @throws ClickHouseError code 516 for unknown users, wrong passwords, ambiguous credentials, or a login over
     *     a failure budget (the message never says which)
     */
    public GatewayUser authenticate(HttpRequest request, RawQueryString query, InetAddress client) {
        return authenticate(request, query, client, null);
    }

    /**
     * The user the request authenticates as, over a connection whose TLS handshake verified a client certificate of
     * {@code certificateSubject} (null: none). A user bound to that subject ({@code tls_subject}) is logged in
     * without a password when the request presents no credentials, or only that user's name; any other
     * credentials are checked as usual.
     */
    public GatewayUser authenticate(HttpRequest request, RawQueryString query, InetAddress client,
            X500Principal certificateSubject) {
        Entry bound = certificateSubject == null ? null : bySubject.get(certificateSubject);
        if (bound != null && byCertificate(request, query, bound.user().name())) {
            if (!bound.networks().allows(client)) {
                throw notAllowedFrom(bound.user().name(), client);
            }
            return bound.user();
        }
        ClientCredentials presented;
        try {
            presented = ClientCredentials.of(request, query);
        } catch (ClickHouseError e) {
            if (!throttle.blocked(client, "")) {
                throttle.failed(client, "");
            }
            throw e;
        }
        if (throttle.blocked(client, presented.user())) {
            throw refused();
        }
        Entry entry = users.get(presented.user());
        byte[] offered = sha256(presented.password());
        // Compared even for unknown users, so timing does not tell which names exist.
        boolean matches = MessageDigest.isEqual(offered, entry == null || entry.passwordSha256() == null
                ? new byte[32] : entry.passwordSha256()) && entry != null && entry.passwordSha256() != null;
        if (entry == null || !matches) {
            throttle.failed(client, presented.user());
            throw refused();
        }
        throttle.succeeded(client, presented.user());
        if (!entry.networks().allows(client)) {
            // Told only to whom knows the password: a user's networks say nothing to a guesser.
            throw notAllowedFrom(presented.user(), client);
        }
        return entry.user();
    }

    /** No credentials at all, or the bound user's name alone with no password. */
    private static boolean byCertificate(HttpRequest request, RawQueryString query, String name) {
        if (!ClientCredentials.presented(request, query)) {
            return true;
        }
        ClientCredentials presented = ClientCredentials.of(request, query);
        return presented.user().equals(name) && presented.password().isEmpty();
    }

    /**
     * The request as it goes upstream: the client's credentials removed from headers and URL, the user's ClickHouse
     * login in their place.
     */
    public static HttpRequest asUser(HttpRequest request, RawQueryString query, GatewayUser user) {
        // Changed in place: the client's credentials must not outlive authentication anywhere, and a copy of the
        // head per request is what a forward-only proxy does not pay.
        if (query.count("user") + query.count("password") > 0) {
            request.setUri(query.uriWithout("user", "password"));
        }
        HttpRequest upstream = request;
        upstream.headers().remove(HttpHeaderNames.AUTHORIZATION).remove(ClickHouseHeaders.USER)
                .remove(ClickHouseHeaders.KEY).remove("X-ClickHouse-SSL-Certificate-Auth");
        if (user.clickhouseAuthorization() != null) {
            upstream.headers().set(HttpHeaderNames.AUTHORIZATION, user.clickhouseAuthorization());
        } else {
            // The embedded engine has one user: the gateway user's name keys its sessions, as the server keys them
            // by user, so no client can join another's session by guessing its id.
            upstream.headers().set(ClickHouseHeaders.USER, user.name());
        }
        return upstream;
    }

    /** ClickHouse's answer for a user not allowed to connect from the client's address (code 195). */
    public static ClickHouseError notAllowedFrom(String user, InetAddress client) {
        return new ClickHouseError(ErrorCode.IP_ADDRESS_NOT_ALLOWED, "chgate: " + (user == null ? "a client"
                : "user " + user) + " is not allowed to connect from address " + client.getHostAddress());
    }

    private static ClickHouseError refused() {
        return new ClickHouseError(ErrorCode.AUTHENTICATION_FAILED,
                "chgate: authentication failed: password is incorrect, or there is no user with such name");
    }

    /** One digest per thread: looking the algorithm up per request costs more than hashing a password. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static byte[] sha256(String password) {
        return SHA256.get().digest(password.getBytes(StandardCharsets.UTF_8));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String readPassword(String file) {
        if (file == null || file.isBlank()) {
            return "";
        }
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a ClickHouse password file: " + file, e);
        }
    }
}
