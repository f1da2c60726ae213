/**
 * The proxy: ClickHouse HTTP in, ClickHouse HTTP out, on Netty event loops.
 *
 * <p>A connection's {@link io.chgate.gateway.proxy.ClientHandler} hands each request to an
 * {@link io.chgate.gateway.proxy.Exchange}, which takes it through a chain of stages, each a class with one job:
 * <ol>
 *   <li>reading — {@link io.chgate.gateway.proxy.RequestFacts}: the head read once (path, parameters, query text,
 *       encoding, client, databases, Expect); nothing after it parses the URI again;</li>
 *   <li>head checks — {@link io.chgate.gateway.proxy.HeadChecks}: the client's address ({@code allowed_networks}),
 *       then the following two;</li>
 *   <li>authentication — {@link io.chgate.gateway.proxy.Authentication}: the gateway user, the head turned into the
 *       user's own ClickHouse login;</li>
 *   <li>settings — {@link io.chgate.gateway.proxy.SettingsStage}: every setting sent beside the SQL (URL parameter,
 *       form field, {@code X-ClickHouse-*} header) against one rule;</li>
 *   <li>limits — {@link io.chgate.gateway.proxy.Admission}: admits a request now or lets it wait, before any upstream
 *       connection is taken;</li>
 *   <li>policy and rewrite — {@link io.chgate.gateway.proxy.PolicyStage}: the query found and read
 *       ({@link io.chgate.gateway.proxy.QueryCapture}), shown to the interceptor
 *       ({@link io.chgate.gateway.proxy.Interception}), the verdict applied to head and body
 *       ({@link io.chgate.gateway.proxy.RewriteApplier});</li>
 *   <li>response cache — {@link io.chgate.gateway.proxy.CacheStage} (with
 *       {@link io.chgate.gateway.proxy.CacheQuestion}): answered from the cache, led (its answer kept), or following
 *       the same statement on its way; {@link io.chgate.gateway.proxy.WriteInvalidation} drops what a write
 *       changes;</li>
 *   <li>forwarding — {@link io.chgate.gateway.proxy.UpstreamLease} (node, pooled connection, failover),
 *       {@link io.chgate.gateway.proxy.RequestBodyRelay} and {@link io.chgate.gateway.proxy.ClientReading} (the
 *       body's flow and backpressure);</li>
 *   <li>response — {@link io.chgate.gateway.proxy.ResponseFramer} (framing, bytes untouched) and
 *       {@link io.chgate.gateway.proxy.ResponseRelay} (masking, reuse);</li>
 *   <li>finishing — {@link io.chgate.gateway.proxy.ExchangeRecord}: metrics and the access log line.</li>
 * </ol>
 *
 * <p>A new check on the head goes into {@link io.chgate.gateway.proxy.HeadChecks} (returning the
 * {@code ClickHouseError} to answer with); a new check on the SQL goes behind the interceptor, in the SQL rewriter.
 * Stages take what they need as parameters and give results back; the exchange alone holds a request's state and
 * moves bytes, so a stage is tested without a socket.
 */
package io.chgate.gateway.proxy;
