package io.chgate.gateway.embedded;

import io.chgate.gateway.http.RawQueryString;
import io.chgate.sql.InsertData;
import io.netty.handler.codec.http.HttpRequest;

/**
 * An INSERT whose statement is whole in the URL's {@code query}, its body arriving as {@link #body()}.
 *
 * @param url the URL's query and the newline ClickHouse joins it to the body with, as bytes
 * @param insert where, in {@code url}, the statement ends and its data begins (at its end, or just before)
 */
record StreamedInsert(HttpRequest head, RawQueryString uri, byte[] url, InsertData.Parts insert, StreamedBody body) {
}
