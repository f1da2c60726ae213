package io.chgate.gateway.credentials;

import io.chgate.vault.AdminChannel;
import io.chgate.vault.IntegrationManager;
import io.chgate.vault.SuperuserCheck;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns, once an integration's credentials are in place, when its login is a superuser of its database: chgate keeps
 * clients to the integration's tables, but anything that got past it would run with every right on that server.
 */
final class SuperuserWarning {
    private static final Logger log = LoggerFactory.getLogger(SuperuserWarning.class);

    private SuperuserWarning() {
    }

    /** Checks each PostgreSQL and MySQL integration in the background; completes when every check has. */
    static CompletableFuture<Void> check(IntegrationManager manager, AdminChannel admin,
            List<IntegrationManager.Integration> integrations) {
        SuperuserCheck check = new SuperuserCheck(admin);
        return CompletableFuture.allOf(integrations.stream()
                .filter(i -> "postgresql".equals(i.source()) || "mysql".equals(i.source()))
                .map(i -> manager.credentials(i.name()).thenAcceptAsync(values -> {
                    var superuser = check.isSuperuser(i.source(), i.collection(), values);
                    if (superuser.isEmpty()) {
                        log.info("integration {}: could not tell whether its login is a superuser", i.name());
                    } else if (superuser.get()) {
                        log.warn("integration {}: its login is a {}: SQL that reached it would run with every"
                                + " right on that server; give the integration a login that may only read its tables",
                                i.name(), "postgresql".equals(i.source()) ? "PostgreSQL superuser (rolsuper)"
                                        : "MySQL superuser (global SUPER, as ALL PRIVILEGES gives)");
                    }
                }).exceptionally(error -> null))
                .toArray(CompletableFuture[]::new));
    }
}
