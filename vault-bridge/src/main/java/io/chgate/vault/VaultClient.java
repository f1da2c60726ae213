package io.chgate.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small client for the Vault (and OpenBao) HTTP API: the endpoints chgate needs, each with its real semantics —
 * KV v2 reads, database secrets engine credentials (dynamic and static), lease renewal and revocation, token and
 * AppRole login. One immutable configuration, a thread-safe token holder, and every non-2xx answer a typed
 * {@link VaultException} that names the path, never the token or a secret.
 */
public final class VaultClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the client proves who it is. */
    public sealed interface Auth {
        /** A fixed token (renewed with renew-self when it is renewable). */
        record Token(String token) implements Auth {
            @Override
            public String toString() {
                return "Token[******]";
            }
        }

        /** AppRole: logs in with role_id and secret_id, and again when the token expires. */
        record AppRole(String mount, String roleId, String secretId) implements Auth {
            @Override
            public String toString() {
                return "AppRole[" + mount + "]";
            }
        }

        /** Kubernetes: logs in with the service account's JWT read from a file. */
        record Kubernetes(String mount, String role, java.nio.file.Path jwtFile) implements Auth {
        }
    }

    private final URI address;
    private final String namespace;
    private final Auth auth;
    private final HttpClient http;
    private final Duration timeout;
    private final AtomicReference<String> token = new AtomicReference<>();

    public VaultClient(URI address, String namespace, Auth auth, HttpClient http, Duration timeout) {
        this.address = address;
        this.namespace = namespace;
        this.auth = auth;
        this.http = http;
        this.timeout = timeout;
        if (auth instanceof Auth.Token t) {
            token.set(t.token());
        }
    }

    public static VaultClient withToken(String address, String token) {
        return new VaultClient(URI.create(address), null, new Auth.Token(token), HttpClient.newHttpClient(),
                Duration.ofSeconds(10));
    }

    /** A KV v2 secret's data; {@code version} 0 reads the latest. */
    public Secret readKv2(String mount, String path, int version) {
        String query = version > 0 ? "?version=" + version : "";
        JsonNode body = call("GET", mount + "/data/" + path + query, null);
        JsonNode data = body.path("data");
        return new Secret(strings(data.path("data")), null, 0, false,
                data.path("metadata").path("version").asInt(0));
    }

    /** Writes a KV v2 secret (used to set up integrations and in tests). Returns the new version. */
    public int writeKv2(String mount, String path, Map<String, String> data) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode fields = body.putObject("data");
        data.forEach(fields::put);
        return call("POST", mount + "/data/" + path, body).path("data").path("version").asInt();
    }

    /** Dynamic database credentials: a new user with a lease. */
    public Secret databaseCredentials(String mount, String role) {
        JsonNode body = call("GET", mount + "/creds/" + role, null);
        return new Secret(strings(body.path("data")), emptyToNull(body.path("lease_id").asText(null)),
                body.path("lease_duration").asLong(), body.path("renewable").asBoolean(), 0);
    }

    /** A static role's current credentials; {@code ttl} (until the next rotation) stands in for a lease. */
    public Secret staticCredentials(String mount, String role) {
        JsonNode data = call("GET", mount + "/static-creds/" + role, null).path("data");
        Map<String, String> values = strings(data);
        return new Secret(values, null, data.path("ttl").asLong(), false, 0);
    }

    /** Renews a lease; returns the lease duration Vault granted (it may be less than asked, capped by max_ttl). */
    public long renewLease(String leaseId, long incrementSeconds) {
        BridgeStats.RENEWALS.increment();
        ObjectNode body = JSON.createObjectNode().put("lease_id", leaseId).put("increment", incrementSeconds);
        return call("PUT", "sys/leases/renew", body).path("lease_duration").asLong();
    }

    public void revokeLease(String leaseId) {
        call("PUT", "sys/leases/revoke", JSON.createObjectNode().put("lease_id", leaseId));
    }

    /** Renews the client's own token; returns its new TTL in seconds. */
    public long renewSelf() {
        BridgeStats.RENEWALS.increment();
        return call("POST", "auth/token/renew-self", JSON.createObjectNode()).path("auth").path("lease_duration").asLong();
    }

    /** The token's remaining TTL in seconds and whether it is renewable. */
    public JsonNode lookupSelf() {
        return call("GET", "auth/token/lookup-self", null).path("data");
    }

    /** Any endpoint, for setup tasks (mounting engines, writing roles); returns the JSON body or an empty object. */
    public JsonNode call(String method, String path, JsonNode body) {
        ensureToken();
        try {
            return send(method, path, body, true);
        } catch (VaultException e) {
            if (e.status() == 403 && !(auth instanceof Auth.Token)) {
                // An expired login: log in again once, then retry.
                token.set(null);
                ensureToken();
                return send(method, path, body, true);
            }
            throw e;
        }
    }

    private synchronized void ensureToken() {
        if (token.get() != null) {
            return;
        }
        JsonNode login;
        if (auth instanceof Auth.AppRole a) {
            login = send("POST", "auth/" + a.mount() + "/login", JSON.createObjectNode()
                    .put("role_id", a.roleId()).put("secret_id", a.secretId()), false);
        } else if (auth instanceof Auth.Kubernetes k) {
            String jwt;
            try {
                jwt = java.nio.file.Files.readString(k.jwtFile()).trim();
            } catch (IOException e) {
                throw new VaultException(0, "auth/" + k.mount() + "/login", "cannot read the Kubernetes token file "
                        + k.jwtFile());
            }
            login = send("POST", "auth/" + k.mount() + "/login", JSON.createObjectNode()
                    .put("role", k.role()).put("jwt", jwt), false);
        } else {
            throw new VaultException(0, "auth", "no Vault token");
        }
        token.set(login.path("auth").path("client_token").asText());
    }

    private JsonNode send(String method, String path, JsonNode body, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(address.resolve("/v1/" + path)).timeout(timeout);
        if (authenticated) {
            request.header("X-Vault-Token", token.get());
        }
        if (namespace != null && !namespace.isBlank()) {
            request.header("X-Vault-Namespace", namespace);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        BridgeStats.VAULT_CALLS.increment();
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            BridgeStats.VAULT_ERRORS.increment();
            throw new VaultException(0, path, "Vault at " + address + " is unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultException(0, path, "interrupted");
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            BridgeStats.VAULT_ERRORS.increment();
            throw new VaultException(status, path, errors(response.body()));
        }
        if (response.body().isEmpty()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new VaultException(status, path, "answer is not JSON");
        }
    }

    /** Vault's own error strings; they describe the request, not secret values. */
    private static String errors(String body) {
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            return errors.isArray() && !errors.isEmpty() ? errors.toString() : "no error detail";
        } catch (IOException e) {
            return "no error detail";
        }
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
        }
        return out;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
