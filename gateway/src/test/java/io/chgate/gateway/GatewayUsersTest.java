package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Header;
import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gateway users in front of the real ClickHouse 18.16 server: a client authenticates to chgate, never learns the
 * ClickHouse login its requests run as, and cannot pick another ClickHouse user (chgate's admin included).
 */
class GatewayUsersTest {
    static final String ANALYST_PASSWORD = "analyst-secret-7";
    static LocalStack stack;
    static GatewayServer gateway;
    static Path clickhousePasswordFile;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        Path passwordFile = StackLogin.passwordFile(stack);
        clickhousePasswordFile = passwordFile;
        GatewayConfig config = new ConfigLoader(Map.of("CHGATE_UPSTREAM_URL", stack.clickhouseHttpUrl()))
                .flag("listen", "127.0.0.1:0", "test").load().config();
        GatewayConfig.User analyst = new GatewayConfig.User();
        analyst.name = "analyst";
        analyst.passwordSha256Hex = sha256(ANALYST_PASSWORD);
        analyst.clickhouse.user = stack.clickhouseAuthUser();
        analyst.clickhouse.passwordFile = passwordFile.toString();
        config.users.add(analyst);
        config.limits.authFailuresPerMinute = 5;
        gateway = GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static Header basic(String user, String password) {
        return new Header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    static Response get(String target, Header... headers) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.address().getPort())) {
            return c.exchange(RawHttp.request("GET", target, List.of(headers), null), false);
        }
    }

    static void assertAuthenticationFailed(Response r) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(403);
        assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("516");
        assertThat(r.bodyText()).startsWith("Code: 516. DB::Exception: chgate: ")
                .doesNotContain(stack.clickhouseAuthPassword()).doesNotContain(ANALYST_PASSWORD);
    }

    /** 18.16 has no currentUser(): the query finds itself in system.processes. */
    static final String WHO = "SELECT user FROM system.processes WHERE query LIKE '%who-am-i%'";

    @Test
    void everyWayOfLoggingInRunsAsTheMappedClickHouseUser() throws IOException {
        String expected = stack.clickhouseAuthUser() + "\n";
        assertThat(get(q(WHO), basic("analyst", ANALYST_PASSWORD)).bodyText()).isEqualTo(expected);
        assertThat(get(q(WHO), new Header("X-ClickHouse-User", "analyst"),
                new Header("X-ClickHouse-Key", ANALYST_PASSWORD)).bodyText()).isEqualTo(expected);
        assertThat(get(q(WHO) + "&user=analyst&password=" + ANALYST_PASSWORD).bodyText())
                .isEqualTo(expected);
    }

    @Test
    void noClientReachesClickHouseAsAnotherUser() throws IOException {
        assertAuthenticationFailed(get(q(WHO)));                       // ClickHouse's default user
        assertAuthenticationFailed(get(q(WHO) + "&user=default"));    // chgate's admin
        assertAuthenticationFailed(get(q("SELECT 1"), basic(stack.clickhouseAuthUser(), stack.clickhouseAuthPassword())));
        assertAuthenticationFailed(get(q("SELECT 1"), basic("analyst", "wrong")));
    }

    @Test
    void credentialsGivenTwoWaysAreRefused() throws IOException {
        assertAuthenticationFailed(get(q(WHO) + "&user=default",
                basic("analyst", ANALYST_PASSWORD)));
        assertAuthenticationFailed(get(q(WHO) + "&user=analyst&user=default&password="
                + ANALYST_PASSWORD));
    }

    @Test
    void pingNeedsNoLogin() throws IOException {
        assertThat(get("/ping").bodyText()).isEqualTo("Ok.\n");
    }

    @Test
    void guessingIsCutOffPerClientAddressAndUser() throws Exception {
        try (GatewayServer limited = throttled(3, 100, 100)) {
            for (int i = 0; i < 3; i++) {
                assertAuthenticationFailed(login(limited, "127.0.0.1", "guessed", "guess-" + i));
            }
            assertAuthenticationFailed(login(limited, "127.0.0.1", "guessed", "right"));
            // Another user behind the same address is not locked out by those failures (was: all of the address).
            assertThat(login(limited, "127.0.0.1", "neighbour", "theirs").status()).isEqualTo(200);
            // The guessed user from another address is not locked out either.
            assertThat(login(limited, "127.0.0.2", "guessed", "right").status()).isEqualTo(200);
        }
    }

    @Test
    void sprayingNamesFromOneAddressIsCutOff() throws Exception {
        try (GatewayServer limited = throttled(3, 5, 100)) {
            for (int i = 0; i < 5; i++) {
                assertAuthenticationFailed(login(limited, "127.0.0.3", "name-" + i, "guess"));
            }
            assertAuthenticationFailed(login(limited, "127.0.0.3", "guessed", "right"));
            assertThat(login(limited, "127.0.0.1", "guessed", "right").status()).isEqualTo(200);
        }
    }

    @Test
    void guessingFromChangingAddressesIsCutOffButTheUsersOwnAddressStillLogsIn() throws Exception {
        try (GatewayServer limited = throttled(3, 100, 4)) {
            assertThat(login(limited, "127.0.0.1", "guessed", "right").status()).isEqualTo(200);
            for (int i = 0; i < 4; i++) {
                assertAuthenticationFailed(login(limited, "127.0.1." + (i + 1), "guessed", "guess-" + i));
            }
            assertAuthenticationFailed(login(limited, "127.0.1.9", "guessed", "right"));
            assertThat(login(limited, "127.0.0.1", "guessed", "right").status()).isEqualTo(200);
        }
    }

    private static GatewayServer throttled(int perPair, int perAddress, int perUser) throws Exception {
        GatewayConfig config = new ConfigLoader(Map.of("CHGATE_UPSTREAM_URL", stack.clickhouseHttpUrl()))
                .flag("listen", "127.0.0.1:0", "test").load().config();
        for (String[] user : new String[][] {{"guessed", "right"}, {"neighbour", "theirs"}}) {
            GatewayConfig.User u = new GatewayConfig.User();
            u.name = user[0];
            u.passwordSha256Hex = sha256(user[1]);
            u.clickhouse.user = stack.clickhouseAuthUser();
            u.clickhouse.passwordFile = clickhousePasswordFile.toString();
            config.users.add(u);
        }
        config.limits.authFailuresPerMinute = perPair;
        config.limits.authFailuresPerMinutePerAddress = perAddress;
        config.limits.authFailuresPerMinutePerUser = perUser;
        return GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1));
    }

    private static Response login(GatewayServer server, String from, String user, String password) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", server.address().getPort(), from)) {
            return c.exchange(RawHttp.request("GET", q("SELECT 1"), List.of(basic(user, password)), null), false);
        }
    }
}
