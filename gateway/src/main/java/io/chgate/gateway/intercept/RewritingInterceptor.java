package io.chgate.gateway.intercept;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.sql.CollectionResolver;
import io.chgate.sql.Resolution;
import io.chgate.sql.Resolver;
import io.chgate.sql.RewriteRefusedException;
import io.chgate.sql.SqlParseException;
import io.chgate.sql.SqlRewriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's interceptor of record: rewrites inline external-source arguments into named-collection references
 * and refuses what the integrations do not cover. Verdicts are cached by query text and configuration version —
 * BI tools send the same dashboard queries over and over; text that cannot name a source is never cached.
 */
public final class RewritingInterceptor implements QueryInterceptor {
    private record Key(long configVersion, String sql) {
    }

    private final Resolver resolver;
    private final long configVersion;
    private final Cache<Key, Verdict> verdicts;

    public RewritingInterceptor(Resolver resolver, long configVersion, long cacheSize) {
        this.resolver = resolver;
        this.configVersion = configVersion;
        this.verdicts = Caffeine.newBuilder().maximumSize(cacheSize).build();
    }

    /** The resolver a configuration describes: its integrations, and its policy for everything else. */
    public static Resolver resolver(GatewayConfig config) {
        List<CollectionResolver.Endpoint> endpoints = config.integrations.stream()
                .map(i -> new CollectionResolver.Endpoint(i.source, i.address, i.database, i.collectionName()))
                .toList();
        Resolver strict = new CollectionResolver(endpoints);
        if (!"allow".equals(config.unmanagedReferences)) {
            return strict;
        }
        return reference -> {
            Resolution resolution = strict.resolve(reference);
            return resolution instanceof Resolution.Refuse ? Resolution.KEEP : resolution;
        };
    }

    public static RewritingInterceptor fromConfig(GatewayConfig config, long configVersion) {
        return new RewritingInterceptor(resolver(config), configVersion, 10_000);
    }

    @Override
    public CompletionStage<Verdict> intercept(InterceptedQuery query) {
        String sql = query.sql();
        Key key = new Key(configVersion, sql);
        Verdict cached = verdicts.getIfPresent(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        if (!SqlRewriter.mightReference(sql)) {
            return Verdict.PASS_STAGE;   // not cached: checking costs about what a lookup does, and fills nothing
        }
        return CompletableFuture.completedFuture(verdicts.get(key, k -> decide(k.sql())));
    }

    private Verdict decide(String sql) {
        try {
            String rewritten = SqlRewriter.rewriteSql(sql, resolver);
            return rewritten == sql ? Verdict.PASS : new Verdict.Rewrite(rewritten);
        } catch (RewriteRefusedException e) {
            return new Verdict.Refuse(new ClickHouseError(ErrorCode.ACCESS_DENIED, e.getMessage()));
        } catch (SqlParseException e) {
            return new Verdict.Refuse(new ClickHouseError(ErrorCode.SYNTAX_ERROR,
                    "chgate cannot read the query to check its external sources: " + e.getMessage()));
        }
    }
}
