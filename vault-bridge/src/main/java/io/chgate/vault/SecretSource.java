package io.chgate.vault;

/** Where an integration's credentials live in Vault. */
public sealed interface SecretSource {

    Secret fetch(VaultClient vault);

    /** A KV v2 secret; {@code version} 0 follows the latest. */
    record Kv2(String mount, String path, int version) implements SecretSource {
        @Override
        public Secret fetch(VaultClient vault) {
            return vault.readKv2(mount, path, version);
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
}
