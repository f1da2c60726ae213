package io.chgate.gateway.intercept;

import io.chgate.gateway.error.ClickHouseError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What a {@link QueryInterceptor} decided for one query. */
public sealed interface Verdict {

    Verdict PASS = new Pass();
    CompletionStage<Verdict> PASS_STAGE = CompletableFuture.completedFuture(PASS);

    /** Forward the query exactly as the client sent it. */
    record Pass() implements Verdict {
    }

    /** Forward this SQL instead, in the place the client put the original. */
    record Rewrite(String sql) implements Verdict {
    }

    /** Answer the client with this error; nothing is forwarded. */
    record Refuse(ClickHouseError error) implements Verdict {
    }
}
