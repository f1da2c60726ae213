package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.auth.GatewayUsers;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who a request is from, and the head as it goes on: no socket, the users as a configuration makes them. */
class AuthenticationTest {
    static final String CLICKHOUSE_LOGIN = "Basic " + base64("ch_analyst:ch-secret");
    static GatewayUsers users;

    @BeforeAll
    static void users(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "ch-secret\n");
        GatewayConfig config = new GatewayConfig();
        config.upstream.url = "http://127.0.0.1:8123";
        GatewayConfig.User analyst = new GatewayConfig.User();
        analyst.name = "analyst";
        analyst.passwordSha256Hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("right".getBytes(StandardCharsets.UTF_8)));
        analyst.clickhouse.user = "ch_analyst";
        analyst.clickhouse.passwordFile = password.toString();
        config.users.add(analyst);
        users = GatewayUsers.fromConfig(config);
    }

    @Test
    void withoutGatewayUsersNothingIsCheckedAndTheHeadStaysAsSent() {
        HttpRequest head = get("/?query=SELECT%201&user=u&password=p");
        assertThat(Authentication.authenticate(null, head, facts(head))).isNull();
        assertThat(head.uri()).isEqualTo("/?query=SELECT%201&user=u&password=p");
    }

    @Test
    void basicCredentialsAreReplacedByTheUsersClickHouseLogin() {
        HttpRequest head = get("/?query=SELECT%201");
        head.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic " + base64("analyst:right"));
        GatewayUser user = Authentication.authenticate(users, head, facts(head));
        assertThat(user.name()).isEqualTo("analyst");
        assertThat(head.headers().getAll(HttpHeaderNames.AUTHORIZATION)).containsExactly(CLICKHOUSE_LOGIN);
    }

    @Test
    void credentialsInTheUrlLeaveItAndTheOtherParametersStayAsSent() {
        HttpRequest head = get("/?query=SELECT%201&user=analyst&password=right&database=x");
        head.headers().set("X-ClickHouse-Database", "y");
        RequestFacts facts = facts(head);
        assertThat(Authentication.authenticate(users, head, facts).name()).isEqualTo("analyst");
        assertThat(head.uri()).isEqualTo("/?query=SELECT%201&database=x");
        assertThat(head.headers().get(HttpHeaderNames.AUTHORIZATION)).isEqualTo(CLICKHOUSE_LOGIN);
        assertThat(facts.urlQuery).isEqualTo("SELECT 1");
        assertThat(facts.databases()).containsExactly("x", "y");
    }

    @Test
    void aWrongPasswordIsRefusedWith516() {
        HttpRequest head = get("/?query=SELECT%201");
        head.headers().set("X-ClickHouse-User", "analyst").set("X-ClickHouse-Key", "wrong");
        assertThatThrownBy(() -> Authentication.authenticate(users, head, facts(head)))
                .isInstanceOfSatisfying(ClickHouseError.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
    }

    @Test
    void aBareHealthCheckAndAnUnreadableUriAreNotAuthenticated() {
        HttpRequest ping = get("/ping");
        assertThat(Authentication.authenticate(users, ping, facts(ping))).isNull();
        HttpRequest unreadable = get("/?query=%zz");
        RequestFacts facts = facts(unreadable);
        assertThat(Authentication.authenticate(users, unreadable, facts)).isNull();
        assertThat(facts.refusal.code()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
    }

    static HttpRequest get(String uri) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    static RequestFacts facts(HttpRequest head) {
        return new RequestFacts(head);
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
