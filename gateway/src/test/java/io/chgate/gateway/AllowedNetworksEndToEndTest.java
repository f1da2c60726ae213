package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** allowed_networks in front of the real ClickHouse 18.16 server, with 127.0.0.2 as a second client address. */
class AllowedNetworksEndToEndTest {
    @Test
    void aClientOutsideTheTopLevelListIsRefusedAsClickHouseRefusesAnAddress() throws Exception {
        GatewayConfig config = config();
        config.allowedNetworks = List.of("127.0.0.1/32");
        try (GatewayServer gateway = GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1))) {
            assertThat(get(gateway, "127.0.0.1", null).bodyText()).isEqualTo("1\n");
            Response refused = get(gateway, "127.0.0.2", null);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.header("X-ClickHouse-Exception-Code")).isEqualTo("195");
            assertThat(refused.bodyText()).startsWith("Code: 195. DB::Exception: ").contains("127.0.0.2");
        }
    }

    @Test
    void aUsersOwnListAppliesToItAlone() throws Exception {
        LocalStack stack = LocalStack.get();
        GatewayConfig config = config();
        Path password = Files.createTempFile("chgate-ch-password", ".txt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(password, stack.clickhouseAuthPassword());
        password.toFile().deleteOnExit();
        for (String name : List.of("office", "anywhere")) {
            GatewayConfig.User u = new GatewayConfig.User();
            u.name = name;
            u.passwordSha256Hex = GatewayUsersTest.sha256(name + "-pw");
            u.clickhouse.user = stack.clickhouseAuthUser();
            u.clickhouse.passwordFile = password.toString();
            if (name.equals("office")) {
                u.allowedNetworks = List.of("127.0.0.1");
            }
            config.users.add(u);
        }
        try (GatewayServer gateway = GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1))) {
            assertThat(get(gateway, "127.0.0.1", "office").bodyText()).isEqualTo("1\n");
            Response refused = get(gateway, "127.0.0.2", "office");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.header("X-ClickHouse-Exception-Code")).isEqualTo("195");
            assertThat(get(gateway, "127.0.0.2", "anywhere").bodyText()).isEqualTo("1\n");
        }
    }

    private static GatewayConfig config() {
        return new ConfigLoader(Map.of("CHGATE_UPSTREAM_URL", LocalStack.get().clickhouseHttpUrl()))
                .flag("listen", "127.0.0.1:0", "test").load().config();
    }

    private static Response get(GatewayServer gateway, String from, String user) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.address().getPort(), from)) {
            return c.exchange(RawHttp.request("GET", q("SELECT 1"), user == null ? List.of()
                    : List.of(GatewayUsersTest.basic(user, user + "-pw")), null), false);
        }
    }
}
