package io.chgate.vault;

/** Where an integration's credentials live in Vault. */
public sealed interface SecretSource {

    Secret fetch(VaultClient vault);

    /**
     * A KV v2 secret; {@code version} 0 follows the latest. {@code userKey} and {@code passwordKey} name the
     * secret's keys holding them (null: {@code username} or {@code user}, and {@code password}).
     */
    record Kv2(String mount, String path, int version, String userKey, String passwordKey) implements SecretSource {
        public Kv2(String mount, String path, int version) {
            this(mount, path, version, null, null);
        }

        @Override
        public Secret fetch(VaultClient vault) {
            Secret secret = vault.readKv2(mount, path, version);
            if (userKey == null && passwordKey == null) {
                return secret;
            }
            java.util.Map<String, String> mapped = new java.util.LinkedHashMap<>(secret.data());
            if (userKey != null && secret.data().containsKey(userKey)) {
                mapped.put("username", secret.data().get(userKey));
            }
            if (passwordKey != null && secret.data().containsKey(passwordKey)) {
                mapped.put("password", secret.data().get(passwordKey));
            }
            return new Secret(mapped, secret.leaseId(), secret.leaseSeconds(), secret.renewable(), secret.version());
        }
    }

    /** Dynamic credentials of the database secrets engine: a fresh user per lease. */
    record DynamicDatabase(String mount, String role) implements SecretSource {
        @Override
        public Secret fetch(VaultClient vault) {
            return vault.databaseCredentials(mount, role);
        }
    }

    /** A static role of the database secrets engine: one user whose password Vault rotates. */
    record StaticDatabase(String mount, String role) implements SecretSource {
        @Override
        public Secret fetch(VaultClient vault) {
            return vault.staticCredentials(mount, role);
        }
    }

    /** No credentials (a PLAINTEXT Kafka): the integration is still chgate's to build, with nothing from Vault. */
    record None() implements SecretSource {
        @Override
        public Secret fetch(VaultClient vault) {
            return new Secret(java.util.Map.of(), null, 0, false, 0);
        }
    }
}
