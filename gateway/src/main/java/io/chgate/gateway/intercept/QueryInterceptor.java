package io.chgate.gateway.intercept;

import java.util.concurrent.CompletionStage;

/**
 * Sees the SQL text of every query-bearing request before anything is forwarded, and decides what reaches
 * ClickHouse: the query unchanged, a rewritten query, or a refusal. May complete asynchronously (a credential fetch
 * from Vault, say); the request waits, the event loop does not.
 */
@FunctionalInterface
public interface QueryInterceptor {

    CompletionStage<Verdict> intercept(InterceptedQuery query);

    /** Values no response may carry to a client (credentials chgate manages); masked in upstream error texts. */
    default java.util.Set<String> secretValues() {
        return java.util.Set.of();
    }

    /** Forwards every query as it came. */
    QueryInterceptor IDENTITY = query -> Verdict.PASS_STAGE;
}
