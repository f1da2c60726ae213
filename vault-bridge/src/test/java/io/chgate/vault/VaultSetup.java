package io.chgate.vault;

import com.fasterxml.jackson.databind.ObjectMapper;
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
        stack.vault().configureDatabaseRoles();
    }
}
