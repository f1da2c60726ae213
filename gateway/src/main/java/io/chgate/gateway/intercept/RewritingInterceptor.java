package io.chgate.gateway.intercept;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.integration.IntegrationLimits;
import io.chgate.sql.CollectionResolver;
import io.chgate.sql.IntegrationDatabaseNames;
import io.chgate.sql.Lexer;
import io.chgate.sql.ParsedStatement;
import io.chgate.sql.Prescan;
import io.chgate.sql.Resolution;
import io.chgate.sql.Resolver;
import io.chgate.sql.RewriteRefusedException;
import io.chgate.sql.SqlParseException;
import io.chgate.sql.SqlRewriter;
import io.chgate.sql.StatementPolicy;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import io.chgate.gateway.credentials.ManagedCredentials;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's interceptor of record: rewrites inline external-source arguments into named-collection references
 * and refuses what the integrations do not cover. Verdicts are cached by query text and configuration version —
 * BI tools send the same dashboard queries over and over; text that cannot name a source is never cached.
 */
public final class RewritingInterceptor implements QueryInterceptor {
    /**
     * The cache key, with its hash computed once from the query's bytes by xxHash64 (seeded per process).
     * String.hashCode on JDK 17 walks a 1 KB query one char at a time with a dependent multiply (about 1 µs, the
     * whole budget of a cache hit); xxHash64 reads it eight bytes at a time. Keys are comparable, so even crafted
     * collisions leave a lookup logarithmic, not linear.
     */
    private static final class Key implements Comparable<Key> {
        private static final XXHash64 XXHASH = XXHashFactory.fastestJavaInstance().hash64();
        private static final long SEED = new java.security.SecureRandom().nextLong();

        final long configVersion;
        final String sql;
        private final int hash;

        Key(long configVersion, String sql) {
            this.configVersion = configVersion;
            this.sql = sql;
            // Latin-1 bytes are the String's own storage for almost every query (a plain copy); other characters
            // become '?', which only weakens the hash for them, never equality.
            byte[] bytes = sql.getBytes(StandardCharsets.ISO_8859_1);
            long h = XXHASH.hash(bytes, 0, bytes.length, SEED ^ configVersion);
            this.hash = (int) (h ^ (h >>> 32));
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.configVersion == configVersion && k.sql.equals(sql);
        }

        @Override
        public int compareTo(Key o) {
            int c = Integer.compare(hash, o.hash);
            c = c != 0 ? c : Long.compare(configVersion, o.configVersion);
            return c != 0 ? c : sql.compareTo(o.sql);
        }
    }

    /**
     * A verdict, the named collections a rewrite points at (they must exist before the query is forwarded), and every
     * collection the query uses, rewritten or named by the client (a gateway user must have the right to each).
     */
    private record Decision(Verdict verdict, List<String> collections, List<String> used,
            CompletionStage<Verdict> stage, java.util.Set<String> refusedSources, Verdict ifSourcesAllowed) {
        Decision(Verdict verdict, List<String> collections, List<String> used) {
            this(verdict, collections, used, CompletableFuture.completedFuture(verdict), java.util.Set.of(), null);
        }

        Decision(Verdict verdict) {
            this(verdict, List.of(), List.of());
        }

        /**
         * Refused only for sources no integration is (files, URLs, other servers): {@code allowed} is what a gateway
         * user given every one of them gets instead.
         */
        static Decision refusedSources(Verdict refusal, java.util.Set<String> sources, Verdict allowed,
                List<String> collections, List<String> used) {
            return new Decision(refusal, collections, used, CompletableFuture.completedFuture(refusal),
                    java.util.Set.copyOf(sources), allowed);
        }

        Decision forUser(io.chgate.gateway.auth.GatewayUser user) {
            return refusedSources.isEmpty() || user == null || !user.mayRead(refusedSources) ? this
                    : new Decision(ifSourcesAllowed, collections, used);
        }
    }

    private static final Decision PASS_DECISION = new Decision(Verdict.PASS);
    /** Queries decided from the cache, over every interceptor of the process (a reload replaces the interceptor). */
    public static final java.util.concurrent.atomic.LongAdder CACHE_HITS = new java.util.concurrent.atomic.LongAdder();

    private final Resolver resolver;
    private final long configVersion;
    private final Cache<Key, Decision> decisions;
    private final Function<List<String>, CompletableFuture<Void>> ensureCollections;
    private final ManagedCredentials inlineCredentials;
    /** The credentials chgate manages, whichever way they reach ClickHouse; null when it manages none. */
    private ManagedCredentials managed;
    private IntegrationDatabaseNames databaseNames = IntegrationDatabaseNames.NONE;

    public RewritingInterceptor(Resolver resolver, long configVersion, long cacheSize) {
        this(resolver, configVersion, cacheSize, (Function<List<String>, CompletableFuture<Void>>) null);
    }

    /**
     * @param ensureCollections completes when the given collections are ready in ClickHouse (vault-bridge), or null
     *     when collections are managed elsewhere
     */
    public RewritingInterceptor(Resolver resolver, long configVersion, long cacheSize,
            Function<List<String>, CompletableFuture<Void>> ensureCollections) {
        this.resolver = resolver;
        this.configVersion = configVersion;
        this.decisions = Caffeine.newBuilder().maximumSize(cacheSize).build();
        this.ensureCollections = ensureCollections;
        this.inlineCredentials = null;
    }

    private RewritingInterceptor(Resolver resolver, long configVersion, long cacheSize,
            ManagedCredentials inlineCredentials) {
        this.resolver = resolver;
        this.configVersion = configVersion;
        this.decisions = Caffeine.newBuilder().maximumSize(cacheSize).build();
        this.ensureCollections = null;
        this.inlineCredentials = inlineCredentials;
    }

    /** The resolver a configuration describes: its integrations, and its policy for everything else. */
    public static Resolver resolver(GatewayConfig config) {
        List<CollectionResolver.Endpoint> endpoints = new ArrayList<>();
        java.util.Map<String, String> internal = new java.util.HashMap<>();
        for (GatewayConfig.Integration i : config.integrations) {
            IntegrationLimits.Kind kind = IntegrationLimits.kind(i.source);
            IntegrationLimits.Location location = IntegrationLimits.location(i.location);
            for (GatewayConfig.ManagedDatabase database : i.databasesInEffect()) {
                internal.put(database.name, "which is internal to chgate: it serves the integration database "
                        + database.name + "; query that database instead");
            }
            if (!i.modesInEffect().contains("managed_credentials")) {
                internal.put(i.collectionName(), "which is internal to chgate: " + (kind == null || location == null
                        ? "the integration has no managed credentials"
                        : IntegrationLimits.rule(kind, location).why()) + (i.databasesInEffect().isEmpty()
                        ? i.managedDatabase == null ? "" : "; query its database " + i.managedDatabase + " instead"
                        : "; query its database" + (i.databasesInEffect().size() > 1 ? "s " : " ") + String.join(", ",
                                i.databasesInEffect().stream().map(d -> d.name).toList()) + " instead"));
                continue;
            }
            String refusal = kind == null || location == null || IntegrationLimits.rule(kind, location).modes()
                    .contains(IntegrationLimits.Mode.MANAGED_DATABASE) ? null
                    : IntegrationLimits.rule(kind, location).why() + "; read it with " + i.source + "("
                            + i.collectionName() + ", table = '...') or a table engine instead";
            endpoints.add(new CollectionResolver.Endpoint(i.source, i.address, i.database, i.collectionName(),
                    refusal).scoped(i.allowRemoteSql, "postgresql".equals(i.source) ? i.schemasInEffect() : null));
        }
        Resolver strict = new CollectionResolver(endpoints, internal);
        if (!"allow".equals(config.unmanagedReferences)) {
            return strict;
        }
        // allow: an integration kind's reference to an endpoint no integration covers passes as written; sources that
        // are no integration's (files, URLs, other servers, programs) stay refused.
        return reference -> {
            Resolution resolution = strict.resolve(reference);
            return resolution instanceof Resolution.Refuse && CollectionResolver.managedSource(reference.source()) != null
                    && reference.namedCollection() == null ? Resolution.KEEP : resolution;
        };
    }

    public static RewritingInterceptor fromConfig(GatewayConfig config, long configVersion) {
        RewritingInterceptor interceptor = new RewritingInterceptor(resolver(config), configVersion, 10_000);
        interceptor.databaseNames = databaseNames(config);
        return interceptor;
    }

    public static RewritingInterceptor fromConfig(GatewayConfig config, long configVersion,
            ManagedCredentials credentials) {
        if (credentials != null && credentials.inline()) {
            return new RewritingInterceptor(resolver(config), configVersion, 10_000, credentials);
        }
        RewritingInterceptor interceptor = new RewritingInterceptor(resolver(config), configVersion, 10_000,
                credentials == null ? null : credentials::ensure);
        interceptor.managed = credentials;
        interceptor.databaseNames = databaseNames(config);
        return interceptor;
    }

    private static IntegrationDatabaseNames databaseNames(GatewayConfig config) {
        java.util.Map<String, String> byDatabase = new java.util.HashMap<>();
        for (GatewayConfig.Integration integration : config.integrations) {
            integration.integrationDatabaseNames().forEach(d -> byDatabase.put(d, integration.collectionName()));
        }
        return IntegrationDatabaseNames.of(byDatabase);
    }

    @Override
    public java.util.Set<String> secretValues() {
        ManagedCredentials credentials = managed != null ? managed : inlineCredentials;
        return credentials == null ? java.util.Set.of() : credentials.secretValues();
    }

    @Override
    public CompletionStage<Verdict> intercept(InterceptedQuery query) {
        String sql = query.sql();
        ParsedStatement parsed = ParsedStatement.of(sql);   // lexed once, when a check first needs its tokens
        if (!databaseNames.isEmpty() && !query.databases().isEmpty()) {
            if (query.gatewayUser() != null) {
                String denied = databaseNames.deniedDefault(query.databases(), query.gatewayUser()::mayUse);
                if (denied != null) {
                    return denied(query.gatewayUser(), denied);
                }
            }
            String refusal = databaseNames.defaultDatabaseRefusal(parsed, query.databases());
            if (refusal != null) {
                return CompletableFuture.completedFuture(new Verdict.Refuse(new ClickHouseError(
                        ErrorCode.ACCESS_DENIED, refusal)));
            }
        }
        Key key = new Key(configVersion, sql);
        Decision decision = decisions.getIfPresent(key);
        if (decision != null) {
            CACHE_HITS.increment();
        } else {
            if (!Prescan.mightNeedParse(sql) && !databaseNames.mightReach(sql)) {
                // Cached too: the pre-scan costs several times a lookup, and BI tools send the same dashboard
                // queries again and again.
                decisions.put(key, PASS_DECISION);
                return Verdict.PASS_STAGE;
            }
            decision = decisions.get(key, k -> decide(parsed));
        }
        decision = decision.forUser(query.gatewayUser());
        if (query.gatewayUser() != null) {
            for (String collection : decision.used()) {
                if (!query.gatewayUser().mayUse(collection)) {
                    return denied(query.gatewayUser(), collection);
                }
            }
        }
        if (decision.collections().isEmpty() || ensureCollections == null && inlineCredentials == null) {
            return decision.stage();
        }
        if (inlineCredentials != null) {
            // The cached verdict names collections; the credentials are spliced in per request, never cached.
            ParsedStatement named = decision.verdict() instanceof Verdict.Rewrite rewrite
                    ? ParsedStatement.of(rewrite.sql()) : parsed;
            return inlineCredentials.values(decision.collections()).handle((values, error) -> {
                if (error != null) {
                    return unavailable(error);
                }
                try {
                    return new Verdict.Rewrite(SqlRewriter.rewriteSql(named, reference -> InlineCredentials.arguments(
                            reference, values.get(reference.namedCollection()))));
                } catch (RewriteRefusedException e) {
                    return new Verdict.Refuse(new ClickHouseError(ErrorCode.ACCESS_DENIED, e.getMessage()));
                }
            });
        }
        Verdict verdict = decision.verdict();
        return ensureCollections.apply(decision.collections()).handle((ok, error) -> {
            if (error == null) {
                return verdict;
            }
            return unavailable(error);
        });
    }

    private static CompletionStage<Verdict> denied(io.chgate.gateway.auth.GatewayUser user, String collection) {
        return CompletableFuture.completedFuture(new Verdict.Refuse(new ClickHouseError(ErrorCode.ACCESS_DENIED,
                "chgate: user '" + user.name() + "' may not use the integration of named collection '" + collection
                        + "' (nor its integration databases)")));
    }

    private static Verdict unavailable(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        return new Verdict.Refuse(new ClickHouseError(ErrorCode.NETWORK_ERROR,
                io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE, "chgate: " + cause.getMessage()));
    }

    private Decision decide(ParsedStatement parsed) {
        String sql = parsed.sql();
        List<String> collections = new ArrayList<>();
        List<String> used = new ArrayList<>();
        java.util.Set<String> refusedSources = new java.util.TreeSet<>();
        String[] firstRefusal = {null};
        Resolver recording = reference -> {
            Resolution resolution = resolver.resolve(reference);
            if (resolution instanceof Resolution.Refuse refuse && CollectionResolver.managedSource(reference.source()) == null) {
                // A source no integration is: refused, unless a gateway user is given that kind (sources:).
                refusedSources.add(reference.source());
                if (firstRefusal[0] == null) {
                    firstRefusal[0] = refuse.reason();
                }
                return Resolution.KEEP;
            }
            if (resolution instanceof Resolution.UseNamedCollection use) {
                collections.add(use.collection());
                used.add(use.collection());
            } else if (resolution == Resolution.KEEP && reference.namedCollection() != null) {
                collections.add(reference.namedCollection());   // it too must exist before the query is forwarded
                used.add(reference.namedCollection());
            }
            return resolution;
        };
        try {
            if (Lexer.mightBeTooDeep(sql)) {
                parsed.tokens();   // throws when the nesting really is too deep
            }
            // The more telling refusal first: SET database = <an integration database> is also an unknown setting.
            String refusal = databaseNames.changeRefusal(parsed);
            if (refusal == null) {
                refusal = StatementPolicy.refusal(parsed);
            }
            if (refusal != null) {
                return new Decision(new Verdict.Refuse(new ClickHouseError(ErrorCode.ACCESS_DENIED, refusal)));
            }
            String rewritten = SqlRewriter.rewriteSql(parsed, recording);
            if (databaseNames.mightReach(sql)) {
                // Reading an integration database needs the integration: its right, and its databases built.
                for (String collection : databaseNames.reachedBy(parsed)) {
                    if (!collections.contains(collection)) {
                        collections.add(collection);
                        used.add(collection);
                    }
                }
            }
            Verdict verdict = rewritten == sql ? Verdict.PASS : new Verdict.Rewrite(rewritten);
            if (!refusedSources.isEmpty()) {
                return Decision.refusedSources(new Verdict.Refuse(new ClickHouseError(ErrorCode.ACCESS_DENIED,
                        firstRefusal[0])), refusedSources, verdict, List.copyOf(collections), List.copyOf(used));
            }
            return new Decision(verdict, List.copyOf(collections), List.copyOf(used));
        } catch (RewriteRefusedException e) {
            return new Decision(new Verdict.Refuse(new ClickHouseError(ErrorCode.ACCESS_DENIED, e.getMessage())));
        } catch (SqlParseException.TooDeep e) {
            return new Decision(new Verdict.Refuse(new ClickHouseError(ErrorCode.TOO_DEEP_RECURSION,
                    "chgate: " + e.getMessage())));
        } catch (SqlParseException e) {
            return new Decision(new Verdict.Refuse(new ClickHouseError(ErrorCode.SYNTAX_ERROR,
                    "chgate cannot read the query to check its external sources: " + e.getMessage())));
        }
    }
}
