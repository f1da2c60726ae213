package io.chgate.gateway.proxy;

import static io.chgate.gateway.proxy.RewriteApplierTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.intercept.InterceptedQuery;
import io.chgate.gateway.intercept.QueryInterceptor;
import io.chgate.gateway.intercept.Verdict;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The policy stage's conversation with the interceptor (the end-to-end InterceptionTest runs it with a server). */
class InterceptionStageTest {
    final List<Runnable> loop = new ArrayList<>();
    final List<Object> heard = new ArrayList<>();
    final Interception.Listener listener = (verdict, failure) -> heard.add(failure != null ? failure : verdict);

    @Test
    void aDecidedVerdictIsHandedOnAtOnce() {
        Interception.ask(QueryInterceptor.IDENTITY, query(), loop::add, listener);
        assertThat(heard).containsExactly(Verdict.PASS);
        assertThat(loop).isEmpty();
    }

    @Test
    void aLaterVerdictIsHandedOnOnTheEventLoop() {
        CompletableFuture<Verdict> later = new CompletableFuture<>();
        Interception.ask(q -> later, query(), loop::add, listener);
        assertThat(heard).isEmpty();
        later.complete(new Verdict.Rewrite("SELECT 2"));
        assertThat(heard).isEmpty();
        loop.forEach(Runnable::run);
        assertThat(heard).containsExactly(new Verdict.Rewrite("SELECT 2"));
    }

    @Test
    void anInterceptorThatThrowsIsAFailureNotAnEscape() {
        IllegalStateException boom = new IllegalStateException("password=hunter2");
        Interception.ask(q -> {
            throw boom;
        }, query(), loop::add, listener);
        assertThat(heard).containsExactly(boom);
    }

    @Test
    void aFailureBecomesTheClientsErrorNamingOnlyItsType() {
        ClickHouseError error = Interception.errorFor(new IllegalStateException("password=hunter2"));
        assertThat(error.code()).isEqualTo(ErrorCode.NETWORK_ERROR);
        assertThat(error.status()).isEqualTo(HttpResponseStatus.INTERNAL_SERVER_ERROR);
        assertThat(error.getMessage()).contains("IllegalStateException").doesNotContain("hunter2");
        ClickHouseError own = new ClickHouseError(ErrorCode.ACCESS_DENIED, "no");
        assertThat(Interception.errorFor(own)).isSameAs(own);
        assertThat(Interception.errorFor(new CompletionException(own))).isSameAs(own);
    }

    @Test
    void theQueryNamesTheUserAndEveryDefaultDatabase() {
        HttpRequest head = get("/?query=SELECT%201&database=a&user=bob");
        head.headers().add("X-ClickHouse-Database", "b");
        RequestFacts facts = new RequestFacts(head);
        InterceptedQuery plain = Interception.query(facts, head, null, "SELECT 1", InterceptedQuery.Location.URL);
        assertThat(plain.user()).isEqualTo("bob");
        assertThat(plain.databases()).containsExactly("a", "b");
        assertThat(plain.gatewayUser()).isNull();
        GatewayUser analyst = new GatewayUser("analyst", null, Set.of(), false);
        InterceptedQuery asUser = Interception.query(facts, head, analyst, "SELECT 1", InterceptedQuery.Location.BODY);
        assertThat(asUser.user()).isEqualTo("analyst");
        assertThat(asUser.gatewayUser()).isSameAs(analyst);
        assertThat(asUser.location()).isEqualTo(InterceptedQuery.Location.BODY);
    }

    static InterceptedQuery query() {
        return new InterceptedQuery("SELECT 1", "default", List.of(), InterceptedQuery.Location.URL);
    }
}
