package io.chgate.gateway;

import io.chgate.gateway.config.GatewayConfig;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The stack's ClickHouse login as the upstream login of gateway users in tests against the 18.16 server. */
final class StackLogin {
    private StackLogin() {
    }

    /** The login's password in a file only its owner may read, gone when the JVM ends. */
    static Path passwordFile(LocalStack stack) throws IOException {
        Path file = Files.createTempFile("chgate-ch-password", ".txt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, stack.clickhouseAuthPassword() + "\n");
        file.toFile().deleteOnExit();
        return file;
    }

    /** A gateway user {@code name} whose password is {@code name + "-pw"}, running as the stack's login. */
    static GatewayConfig.User user(LocalStack stack, Path passwordFile, String name) throws Exception {
        GatewayConfig.User u = new GatewayConfig.User();
        u.name = name;
        u.passwordSha256Hex = GatewayUsersTest.sha256(name + "-pw");
        u.clickhouse.user = stack.clickhouseAuthUser();
        u.clickhouse.passwordFile = passwordFile.toString();
        return u;
    }
}
