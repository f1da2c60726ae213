package io.chgate.gateway.proxy;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.cache.CachedAnswer;
import io.chgate.gateway.cache.Flight;
import io.chgate.gateway.cache.ObjectNames;
import io.chgate.gateway.cache.ResponseCache;
import io.chgate.gateway.cache.ResponseCaches;
import io.chgate.sql.CacheableRead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The response cache on one request's path, between the verdict and the upstream. Once the statement is decided and
 * found cacheable ({@link CacheableRead}, key from {@link CacheQuestion}), one of four things happens: the request is
 * answered from the cache (fresh, or stale within grace while one {@link CacheRefresh} runs); it leads (its statement
 * goes upstream and its complete {@code 200} answer is kept as it streams to its client); it follows (the same
 * statement is already on its way: it waits for that answer); or it waits for its place first — only a request
 * holding its place (admission) leads, so followers can never hold every place while their leader waits for one.
 */
final class CacheStage {
    /** Asked of ClickHouse when an answer is to be kept: an error then comes as an error status, never in a 200. */
    static final String WAIT_END_OF_QUERY = "wait_end_of_query=1";

    /** The request, as the cache moves it on. */
    interface Route {
        /** Whether it was answered meanwhile (or its client left). */
        boolean answered();

        /** It goes upstream with this head. */
        void send(HttpRequest head);

        /** It is answered from the cache with this response, whose body has {@code bodyBytes}. */
        void answer(FullHttpResponse response, long bodyBytes);

        /** It waits for the same statement sent by another request: its own time limit runs from now. */
        void waiting();
    }

    private final ResponseCaches caches;
    private final ResponseCache cache;
    private final GatewayUser user;
    private final RequestFacts facts;
    private final HttpRequest request;
    private final EventLoop loop;
    private final Upstreams upstreams;
    private final Duration timeout;
    private final Route route;
    private String key;
    private Set<String> objects;
    private HttpRequest decided;
    /** The statement as the body carries it, for a refresh; null when it is in the URL. */
    private String bodyStatement;
    private boolean admitted;
    private boolean following;
    /** The request's shape allows an answer from the cache (it did not opt out). */
    private boolean answerable;
    /** The statement this request sends for others to share; null unless it leads. */
    private Flight led;
    private AnswerRecorder recorder;

    private CacheStage(ResponseCache cache, GatewayUser user, RequestFacts facts, HttpRequest request,
            EventLoop loop, ProxySettings settings, Route route) {
        this.caches = settings.caches();
        this.cache = cache;
        this.user = user;
        this.facts = facts;
        this.request = request;
        this.loop = loop;
        this.upstreams = settings.upstreams();
        this.timeout = settings.requestTimeout();
        this.route = route;
    }

    /**
     * The stage of a request of a user with a cache, or null (no cache, or a HEAD). A request whose shape opts out
     * (a session, {@code no_cache=1}, ...) gets a stage that only marks its answer a miss.
     *
     * @param admitted the request holds its place already
     */
    static CacheStage of(ProxySettings settings, GatewayUser user, RequestFacts facts, HttpRequest request,
            EventLoop loop, Route route, boolean admitted) {
        ResponseCaches caches = settings.caches();
        ResponseCache cache = user == null ? null : caches.forUser(user.name());
        if (cache == null || "HEAD".equals(request.method().name())) {
            return null;
        }
        CacheStage stage = new CacheStage(cache, user, facts, request, loop, settings, route);
        stage.admitted = admitted;
        stage.answerable = CacheQuestion.answerable(facts, request, caches);
        return stage;
    }

    /**
     * The verdict is in: true when the statement's answer may come from the cache (then the stage routes the request
     * on from here), false when it may not (the caller sends it on as it is).
     *
     * @param sql the statement as it goes upstream
     * @param whole the statement is all the request carries (no data beside it)
     */
    boolean decided(String sql, boolean whole, HttpRequest head) {
        if (!answerable || sql == null || !whole) {
            return false;
        }
        CacheableRead.Verdict read = CacheQuestion.read(sql, CacheQuestion.database(facts));
        if (!read.cacheable()) {
            return false;
        }
        objects = ObjectNames.of(read.objects());
        if (!caches.keepable(objects)) {
            return false;
        }
        key = CacheQuestion.key(user, sql, facts, request);
        decided = head;
        bodyStatement = facts.urlQuery == null ? sql : null;
        proceed();
        return true;
    }

    /** The request got its place: a request that waited for it may lead now. */
    void admitted() {
        admitted = true;
        proceed();
    }

    private void proceed() {
        if (decided == null || following || led != null || route.answered()) {
            return;
        }
        ResponseCache.Found found = cache.find(key);
        if (found != null) {
            if (found.stale()) {
                cache.meters().stale();
                Flight refresh = cache.refresh(key);
                if (refresh != null) {
                    CacheRefresh.start(upstreams, loop, leading(decided), bodyStatement, this, refresh, timeout);
                }
            } else {
                cache.meters().hit();
            }
            answer(found.answer(), found.stale() ? "STALE" : "HIT");
            return;
        }
        if (admitted) {
            ResponseCache.Joined joined = cache.join(key);
            if (joined.leads()) {
                cache.meters().miss();
                led = joined.flight();
                route.send(leading(decided));
            } else {
                follow(joined.flight());
            }
        } else {
            Flight flying = cache.flying(key);
            if (flying != null) {
                follow(flying);
            }   // else its turn comes through admitted()
        }
    }

    private void follow(Flight flight) {
        cache.meters().herdWait();
        following = true;
        route.waiting();
        flight.await(loop, answer -> {
            following = false;
            if (route.answered()) {
                return;
            }
            if (answer != null) {
                answer(answer, "HIT");
            } else {
                HttpRequest head = decided;
                decided = null;   // no answer to share: this request sends its own statement, unkept
                route.send(head);
            }
        });
    }

    /** The head of a statement whose answer is kept: ClickHouse is asked to report any error as an error status. */
    private static HttpRequest leading(HttpRequest head) {
        return new DefaultHttpRequest(head.protocolVersion(), head.method(),
                QueryUri.withParameter(head.uri(), WAIT_END_OF_QUERY), head.headers());
    }

    private void answer(CachedAnswer answer, String how) {
        route.answer(response(answer, how), answer.body().length);
    }

    ResponseCache cache() {
        return cache;
    }

    Set<String> objects() {
        return objects;
    }

    // ---- the led statement's answer ----

    /**
     * ClickHouse began its answer: it goes to the client marked {@code X-Cache: MISS}, re-framed from its payload
     * (always true); the led statement's complete {@code 200} is kept as it goes.
     */
    boolean onHead(ResponseHead head) {
        if (led != null && head.status() == 200) {
            recorder = new AnswerRecorder(head, cache.maxPayloadBytes());
        } else {
            abandon();
        }
        return true;
    }

    /** The head to relay to the client ({@link #onHead} said true): ClickHouse's, marked a miss. */
    HttpResponse relayedHead(ResponseHead head) {
        HttpResponse relayed = head.toHttpResponse();
        relayed.headers().set("X-Cache", "MISS");
        return relayed;
    }

    /** A piece of the answer as it goes on to the client, copied when it is kept (ownership passes). */
    HttpContent relay(ByteBuf piece) {
        if (recorder != null && !recorder.add(piece)) {
            abandon();   // larger than max_payload_size: it streams on, unkept
        }
        return new DefaultHttpContent(piece);
    }

    /** The answer ended complete: a led one is kept and shared with the requests that waited; its end goes on. */
    LastHttpContent relayedEnd() {
        if (led != null && recorder != null) {
            cache.land(led, recorder.answer(objects, cache.now()));
            led = null;
            recorder = null;
        } else {
            abandon();
        }
        return LastHttpContent.EMPTY_LAST_CONTENT;
    }

    /** The led statement has no answer to share (an error, cut short, too large): those waiting go on their own. */
    void abandon() {
        if (led != null) {
            cache.land(led, null);
            led = null;
        }
        if (recorder != null) {
            recorder.release();
            recorder = null;
        }
    }

    /** A client's answer from a kept one: its bytes and headers, a fresh query id, {@code X-Cache} and {@code Age}. */
    private FullHttpResponse response(CachedAnswer answer, String xCache) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(answer.body()));
        for (Map.Entry<String, String> h : answer.headers()) {
            response.headers().add(h.getKey(), h.getValue());
        }
        List<String> ids = facts.params.get("query_id");
        response.headers().set("X-ClickHouse-Query-Id", ids == null || ids.isEmpty() || ids.get(0).isEmpty()
                ? UUID.randomUUID().toString() : ids.get(ids.size() - 1));
        response.headers().set("X-Cache", xCache);
        response.headers().set(HttpHeaderNames.AGE, Long.toString(answer.ageSeconds(cache.now())));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        if (!facts.keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }
}
