package io.chgate.gateway.proxy;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.intercept.InterceptedQuery;
import io.chgate.gateway.intercept.QueryInterceptor;
import io.chgate.gateway.intercept.Verdict;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy stage: shows the query to the interceptor and hands its verdict on — at once when it is already decided
 * (the common case, a cached verdict), otherwise on the request's event loop when it is. A failure becomes the error
 * the client is answered with.
 */
final class Interception {
    private static final Logger log = LoggerFactory.getLogger(Interception.class);

    /** Receives the verdict on the request's event loop: either a verdict or the interceptor's failure. */
    interface Listener {
        void onVerdict(Verdict verdict, Throwable failure);
    }

    private Interception() {
    }

    /** The query as the interceptor sees it: the SQL, who sends it, the default databases it names, where it was. */
    static InterceptedQuery query(RequestFacts facts, HttpRequest head, GatewayUser user, String sql,
            InterceptedQuery.Location location) {
        return user == null
                ? new InterceptedQuery(sql, RequestFacts.user(head, facts.params), facts.databases(), location)
                : new InterceptedQuery(sql, user.name(), facts.databases(), location, user);
    }

    /** Asks {@code interceptor}; {@code listener} hears back exactly once, on {@code loop}'s thread. */
    static void ask(QueryInterceptor interceptor, InterceptedQuery query, Executor loop, Listener listener) {
        CompletableFuture<Verdict> verdict;
        try {
            verdict = interceptor.intercept(query).toCompletableFuture();
        } catch (RuntimeException e) {
            verdict = CompletableFuture.failedFuture(e);
        }
        if (verdict.isDone()) {
            if (verdict.isCompletedExceptionally()) {
                listener.onVerdict(null, failureOf(verdict));
            } else {
                listener.onVerdict(verdict.join(), null);
            }
        } else {
            verdict.whenComplete((v, failure) -> loop.execute(() -> listener.onVerdict(v, failure)));
        }
    }

    /** The error the client gets when the interceptor failed: its own ClickHouse error, or a 500 naming the type. */
    static ClickHouseError errorFor(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof ClickHouseError error) {
            return error;
        }
        // Only the type: an interceptor's message may quote the query or a credential.
        log.warn("query interceptor failed with {}", cause.getClass().getName());
        return new ClickHouseError(ErrorCode.NETWORK_ERROR, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                "chgate could not decide on the query: " + cause.getClass().getSimpleName());
    }

    private static Throwable failureOf(CompletableFuture<?> failed) {
        try {
            failed.join();
            return null;
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }
}
