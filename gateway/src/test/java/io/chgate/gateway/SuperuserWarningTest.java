package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.chgate.testkit.LocalStack;
import io.chgate.vault.VaultClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * chgate warns at start when an integration's login is a superuser of its database (the stack's admins: PostgreSQL
 * {@code rolsuper}, MariaDB {@code ALL PRIVILEGES}), and not for logins that may only read their tables.
 */
class SuperuserWarningTest {
    @TempDir
    Path dir;

    static void mariadb(LocalStack stack, String sql) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("mariadb", "-h", stack.mariadbHost(), "-P",
                Integer.toString(stack.mariadbPort()), "-u", stack.mariadbUser(), "-N", "-e", sql, "shop")
                .redirectErrorStream(true);
        pb.environment().put("MYSQL_PWD", stack.mariadbPassword());
        Process p = pb.start();
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("mariadb ran the setup").isTrue();
    }

    @Test
    void aSuperuserLoginIsWarnedAboutAndAReadOnlyOneIsNot() throws Exception {
        LocalStack stack = LocalStack.get();
        String password = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(12));
        stack.psql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'su_check_reader') THEN CREATE"
                + " ROLE su_check_reader LOGIN; END IF; END $$; ALTER ROLE su_check_reader PASSWORD '" + password
                + "'; GRANT SELECT ON public.orders TO su_check_reader;");
        mariadb(stack, "CREATE USER IF NOT EXISTS 'su_check_reader'@'%'; ALTER USER 'su_check_reader'@'%'"
                + " IDENTIFIED BY '" + password + "'; GRANT SELECT ON shop.orders TO 'su_check_reader'@'%'");
        VaultClient vault = VaultClient.withToken(stack.vaultAddr(), stack.vaultToken());
        vault.writeKv2("secret", "chgate-test/su_pg", Map.of("username", stack.pgUser(), "password",
                stack.pgPassword()));
        vault.writeKv2("secret", "chgate-test/su_my", Map.of("username", stack.mariadbUser(), "password",
                stack.mariadbPassword()));
        vault.writeKv2("secret", "chgate-test/reader_pg", Map.of("username", "su_check_reader", "password", password));
        vault.writeKv2("secret", "chgate-test/reader_my", Map.of("username", "su_check_reader", "password", password));
        String pg = "source: postgresql, address: '127.0.0.1:" + stack.pgPort() + "', database: shop";
        String my = "source: mysql, address: '127.0.0.1:" + stack.mariadbPort() + "', database: shop";
        String integrations = "  - { name: su_pg, " + pg + ", credentials: { kv: { path: chgate-test/su_pg } } }\n"
                + "  - { name: reader_pg, " + pg + ", credentials: { kv: { path: chgate-test/reader_pg } } }\n"
                + "  - { name: su_my, " + my + ", credentials: { kv: { path: chgate-test/su_my } } }\n"
                + "  - { name: reader_my, " + my + ", credentials: { kv: { path: chgate-test/reader_my } } }\n";
        Path file = dir.resolve("chgate.yaml");
        Files.writeString(file, ReloadTest.yaml(stack, ReloadTest.user("alice", "su_pg"), integrations));

        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger logger = (Logger) LoggerFactory.getLogger("io.chgate.gateway.credentials.SuperuserWarning");
        logger.addAppender(logged);
        try (FileConfiguredGateway gateway = FileConfiguredGateway.start(file, Map.of("CHGATE_VAULT_TOKEN",
                stack.vaultToken()))) {
            gateway.reloader.credentials().superuserChecks().get(60, TimeUnit.SECONDS);
            List<String> messages = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            List<String> warnings = logged.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(warnings).as(messages.toString()).hasSize(2);
            assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("integration su_pg: its login is a"
                    + " PostgreSQL superuser"));
            assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("integration su_my: its login is a"
                    + " MySQL superuser"));
            assertThat(messages).noneMatch(m -> m.contains("reader_")).noneMatch(m -> m.contains(password)
                    || m.contains(stack.pgPassword()) || m.contains(stack.mariadbPassword()));
            assertThat(gateway.admin.execute("SELECT count() FROM system.named_collections WHERE name LIKE"
                    + " '%superuser_check%'")).as("the check's own collection is gone").isEqualTo("0\n");
        } finally {
            logger.detachAppender(logged);
        }
    }
}
