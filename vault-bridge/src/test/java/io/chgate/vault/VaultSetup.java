package io.chgate.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chgate.testkit.LocalStack;

/**
 * Configures the stack's OpenBao dev server for the tests through Vault's own API: the database secrets engine
 * against the stack's PostgreSQL and MariaDB with dynamic roles, and KV v2. Idempotent, and safe to run again after
 * the dev server restarted (dev mode forgets everything).
 */
final class VaultSetup {
    static final ObjectMapper JSON = new ObjectMapper();

    private VaultSetup() {
    }

    static void configure(LocalStack stack, VaultClient root) {
        JsonNode mounts = root.call("GET", "sys/mounts", null);
        if (!mounts.has("database/") && !mounts.path("data").has("database/")) {
            root.call("POST", "sys/mounts/database", JSON.createObjectNode().put("type", "database"));
        }
        root.call("POST", "database/config/shop_pg", JSON.createObjectNode()
                .put("plugin_name", "postgresql-database-plugin")
                .put("connection_url", "postgresql://{{username}}:{{password}}@127.0.0.1:" + stack.pgPort()
                        + "/shop?sslmode=disable")
                .put("username", stack.pgUser()).put("password", stack.pgPassword())
                .put("allowed_roles", "shop_pg_reader,shop_pg_short")
                .put("verify_connection", true));
        String pgCreate = "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; "
                + "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{{name}}\";";
        role(root, "shop_pg_reader", "shop_pg", pgCreate, "1h", "24h");
        role(root, "shop_pg_short", "shop_pg", pgCreate, "6s", "1h");
        root.call("POST", "database/config/shop_mariadb", JSON.createObjectNode()
                .put("plugin_name", "mysql-database-plugin")
                .put("connection_url", "{{username}}:{{password}}@tcp(127.0.0.1:" + stack.mariadbPort() + ")/")
                .put("username", stack.mariadbUser()).put("password", stack.mariadbPassword())
                .put("allowed_roles", "shop_mariadb_reader"));
        role(root, "shop_mariadb_reader", "shop_mariadb", "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; "
                + "GRANT SELECT ON shop.* TO '{{name}}'@'%';", "1h", "24h");
    }

    private static void role(VaultClient root, String name, String db, String creation, String ttl, String maxTtl) {
        ObjectNode body = JSON.createObjectNode().put("db_name", db).put("default_ttl", ttl).put("max_ttl", maxTtl);
        body.putArray("creation_statements").add(creation);
        root.call("POST", "database/roles/" + name, body);
    }
}
