package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.http.AllowedNetworks;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The head's checks in their order: address, login, settings; the first refusal wins. */
class HeadChecksTest {
    @org.junit.jupiter.api.BeforeAll
    static void users(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        AuthenticationTest.users(dir);   // the same users, whichever test class runs first
    }

    private static Policy policy(List<String> networks) {
        return new Policy(null, AuthenticationTest.users, SettingsStage.DEFAULT, null, AllowedNetworks.of(networks));
    }

    private static HeadChecks.Result run(Policy policy, String uri, String from, String password) throws Exception {
        HttpRequest head = AuthenticationTest.get(uri);
        head.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic " + AuthenticationTest.base64("analyst:" + password));
        return HeadChecks.run(policy, head, new RequestFacts(head, InetAddress.getByName(from)));
    }

    @Test
    void anAddressOutsideTheListIsRefusedBeforeAnyLoginIsTried() throws Exception {
        HeadChecks.Result r = run(policy(List.of("10.0.0.0/8")), "/?query=SELECT%201", "192.0.2.1", "wrong");
        assertThat(r.refusal().code()).isEqualTo(ErrorCode.IP_ADDRESS_NOT_ALLOWED);
        assertThat(r.user()).isNull();
    }

    @Test
    void aWrongLoginIsRefusedAndARightOneMeetsTheSettingsCheck() throws Exception {
        assertThat(run(policy(List.of()), "/?query=SELECT%201", "10.0.0.1", "wrong").refusal().code())
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        HeadChecks.Result settings = run(policy(List.of()), "/?query=SELECT%201&format_schema=x", "10.0.0.1", "right");
        assertThat(settings.user().name()).isEqualTo("analyst");
        assertThat(settings.refusal().code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        HeadChecks.Result passes = run(policy(List.of("10.0.0.0/8")), "/?query=SELECT%201", "10.0.0.1", "right");
        assertThat(passes.refusal()).isNull();
        assertThat(passes.user().name()).isEqualTo("analyst");
    }
}
