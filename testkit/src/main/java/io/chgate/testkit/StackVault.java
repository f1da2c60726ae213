package io.chgate.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Configures the stack's OpenBao dev server through Vault's own API: the database secrets engine against the
 * stack's PostgreSQL and MariaDB with dynamic roles ({@code shop_pg_reader} 1 h, {@code shop_pg_short} 6 s,
 * {@code shop_mariadb_reader} 1 h). Idempotent, and safe to run again after the dev server restarted (dev mode
 * forgets everything).
 */
public final class StackVault {
    private final LocalStack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    StackVault(LocalStack stack) {
        this.stack = stack;
    }

    public void configureDatabaseRoles() {
        if (!call("GET", "sys/mounts", null).contains("\"database/\"")) {
            call("POST", "sys/mounts/database", "{\"type\":\"database\"}");
        }
        call("POST", "database/config/shop_pg", "{\"plugin_name\":\"postgresql-database-plugin\","
                + "\"connection_url\":\"postgresql://{{username}}:{{password}}@127.0.0.1:" + stack.pgPort()
                + "/shop?sslmode=disable\",\"username\":\"" + stack.pgUser() + "\",\"password\":\""
                + stack.pgPassword() + "\",\"allowed_roles\":\"shop_pg_reader,shop_pg_short\","
                + "\"verify_connection\":true}");
        String pgCreate = "CREATE ROLE \\\"{{name}}\\\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL"
                + " '{{expiration}}'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO \\\"{{name}}\\\";";
        role("shop_pg_reader", "shop_pg", pgCreate, "1h", "24h");
        role("shop_pg_short", "shop_pg", pgCreate, "6s", "1h");
        call("POST", "database/config/shop_mariadb", "{\"plugin_name\":\"mysql-database-plugin\","
                + "\"connection_url\":\"{{username}}:{{password}}@tcp(127.0.0.1:" + stack.mariadbPort() + ")/\","
                + "\"username\":\"" + stack.mariadbUser() + "\",\"password\":\"" + stack.mariadbPassword() + "\","
                + "\"allowed_roles\":\"shop_mariadb_reader\"}");
        role("shop_mariadb_reader", "shop_mariadb", "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';"
                + " GRANT SELECT ON shop.* TO '{{name}}'@'%';", "1h", "24h");
    }

    private void role(String name, String db, String creation, String ttl, String maxTtl) {
        call("POST", "database/roles/" + name, "{\"db_name\":\"" + db + "\",\"default_ttl\":\"" + ttl
                + "\",\"max_ttl\":\"" + maxTtl + "\",\"creation_statements\":[\"" + creation + "\"]}");
    }

    private String call(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.vaultAddr() + "/v1/" + path))
                .header("X-Vault-Token", stack.vaultToken()).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                // Vault's errors describe the request, never the secret values in it.
                throw new IllegalStateException("OpenBao refused " + method + " " + path + ": "
                        + response.statusCode() + " " + response.body().strip());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("OpenBao is unreachable (dev/stack up starts it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
