package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.error.ClickHouseError;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    @Test
    void admitAllAdmitsAtOnceAndNeverCallsBack() {
        List<String> calls = new ArrayList<>();
        Admission.Waiter waiter = new Admission.Waiter() {
            @Override
            public void admitted() {
                calls.add("admitted");
            }

            @Override
            public void refused(ClickHouseError error) {
                calls.add("refused");
            }
        };
        RequestFacts facts = new RequestFacts(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                "/?query=SELECT%201"));
        for (int i = 0; i < 1000; i++) {
            assertThat(Admission.ADMIT_ALL.admit(new GatewayUser("u", null, Set.of(), false), facts, waiter)).isTrue();
            assertThat(Admission.ADMIT_ALL.admit(null, facts, waiter)).isTrue();
            Admission.ADMIT_ALL.leave(waiter);
        }
        assertThat(calls).isEmpty();
    }
}
