package io.chgate.gateway.proxy;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.intercept.InterceptedQuery;
import io.chgate.gateway.intercept.Verdict;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.Executor;

/**
 * The policy stage of one request: finds its query ({@link QueryCapture}), reads it from the body when it is there,
 * shows it to the interceptor ({@link Interception}) and applies the verdict ({@link RewriteApplier}). The request
 * hears back once: the head that goes upstream (the body's start is handed to its {@link RequestBodyRelay}), or the
 * error it is answered with.
 */
final class PolicyStage implements Interception.Listener {

    /** The request being decided. */
    interface Listener {
        /** Whether the request was answered meanwhile: a verdict arriving then is dropped. */
        boolean answered();

        /** Whether the whole body is in. */
        boolean requestReceived();

        void onDecided(HttpRequest outgoing);

        /** The query may not run, or cannot be read: the request is answered with {@code error}. */
        void refused(ClickHouseError error);
    }

    private final HttpRequest request;
    private final RequestFacts facts;
    private final Policy policy;
    private final GatewayUser user;
    private final ExchangeRecord record;
    private final RequestBodyRelay body;
    private final Executor loop;
    private final Listener listener;
    /**
     * The query is an INSERT ... VALUES whose data streams on unread: ClickHouse would evaluate expressions in it
     * (scalar subqueries included, so table functions too), so it goes with expression interpretation off.
     */
    private boolean valuesDataUnread;
    /** The query as the client sent it, once found; null without one. */
    private String sql;
    /** Where the query was found; null without one. */
    private InterceptedQuery.Location location;
    /** The query as it goes upstream, once decided; null without one. */
    private String forwarded;
    private final io.chgate.gateway.cache.ResponseCaches caches;
    /** What the statement's write changes in the response caches; null for a read or without caches. */
    private WriteInvalidation writes;
    /** What the statement changes in who owns what, once it succeeded; null when nothing. */
    private io.chgate.gateway.ownership.OwnershipPolicy.Decision ownership;

    /** @param loop the request's event loop, where a verdict decided later is handed on */
    PolicyStage(HttpRequest request, RequestFacts facts, Policy policy, GatewayUser user, ExchangeRecord record,
            RequestBodyRelay body, Executor loop, Listener listener, io.chgate.gateway.cache.ResponseCaches caches) {
        this.caches = caches;
        this.request = request;
        this.facts = facts;
        this.policy = policy;
        this.user = user;
        this.record = record;
        this.body = body;
        this.loop = loop;
        this.listener = listener;
    }

    /** Decides a query in the URL (or the lack of one) now; one in the body is decided once {@link #read}. */
    void start(ByteBufAllocator alloc, int maxQueryBytes) {
        QueryCapture.Where where;
        try {
            where = QueryCapture.locate(facts);
            if (where == QueryCapture.Where.FORM) {
                body.capture(QueryCapture.form(alloc, facts, maxQueryBytes, policy.settings()));
            } else if (where == QueryCapture.Where.BODY) {
                body.capture(QueryCapture.body(alloc, facts, maxQueryBytes));
            }
        } catch (ClickHouseError e) {
            listener.refused(e);
            return;
        }
        if (where == QueryCapture.Where.NONE) {
            onVerdict(Verdict.PASS, null);
        } else if (where == QueryCapture.Where.URL) {
            valuesDataUnread = QueryCapture.valuesDataFollowsUrl(facts);
            intercept(facts.urlQuery, InterceptedQuery.Location.URL);
        }
    }

    /** A body piece while the query is being read (ownership passes). */
    void read(HttpContent content, boolean last) {
        QueryCapture capture = body.capture();
        try {
            if (!capture.append(content.content(), last)) {
                return;
            }
        } catch (ClickHouseError e) {
            listener.refused(e);
            return;
        }
        body.phase(BodyPhase.HOLD);
        String sql = capture.sql();
        valuesDataUnread = capture.valuesData();
        intercept(sql, capture.location());
    }

    private void intercept(String sql, InterceptedQuery.Location location) {
        record.query(sql);
        this.sql = sql;
        this.location = location;
        Interception.ask(policy.interceptor(), Interception.query(facts, request, user, sql, location), loop, this);
    }

    @Override
    public void onVerdict(Verdict verdict, Throwable failure) {
        if (listener.answered()) {
            return;
        }
        if (failure != null) {
            listener.refused(Interception.errorFor(failure));
            return;
        }
        if (verdict instanceof Verdict.Refuse refuse) {
            listener.refused(refuse.error());
            return;
        }
        if (policy.ownership() != null && user != null && sql != null) {
            ownership = policy.ownership().check(user, facts, sql);
            if (ownership.refusal() != null) {
                listener.refused(ownership.refusal());
                return;
            }
        }
        Outgoing out;
        try {
            if (verdict instanceof Verdict.Rewrite rewrite) {
                forwarded = rewrite.sql();
                record.rewritten();
                out = RewriteApplier.rewrite(request, facts, body.capture(), rewrite.sql(),
                        listener.requestReceived(), valuesDataUnread);
            } else {
                forwarded = sql;
                out = RewriteApplier.pass(request, facts, body.capture(), valuesDataUnread);
            }
        } catch (ClickHouseError e) {
            listener.refused(e);   // the rewrite could not be applied; nothing was taken
            return;
        }
        writes = WriteInvalidation.of(caches, forwarded, facts);
        body.verdictApplied(out);
        listener.onDecided(out.head());
    }

    /** The query as it went upstream (rewritten or as sent); null without one or before the verdict. */
    String forwardedSql() {
        return forwarded;
    }

    /**
     * Whether the query is all there is: in the URL without a body, or the whole of a body (received) without one
     * there.
     */
    boolean queryIsTheRequest(boolean bodyReceived) {
        if (location == InterceptedQuery.Location.URL) {
            return !facts.hasBody;
        }
        return location == InterceptedQuery.Location.BODY && bodyReceived && facts.urlQuery == null
                && !facts.multipart && !valuesDataUnread;
    }

    /** The statement went upstream: answers kept of what it writes go. */
    void sent() {
        if (writes != null) {
            writes.sent();
        }
    }

    /**
     * ClickHouse's answer ended: with success, what the statement created, dropped or renamed now has its owner;
     * either way answers kept of what it writes go (again: one read meanwhile may predate its last row).
     */
    void ended(boolean succeeded) {
        if (succeeded && ownership != null) {
            ownership.applyOnSuccess();
            ownership = null;
        }
        if (writes != null) {
            writes.ended(succeeded);
        }
    }
}
