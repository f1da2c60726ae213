package io.chgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/**
 * A request as it goes upstream once its verdict is applied.
 *
 * @param head the head to send (the client's own when nothing in it changes)
 * @param bodyStart the body bytes to send right after the head, owned by the receiver
 * @param decodeRest the rest of the body is to be sent decoded (a rewritten query in an encoded body)
 */
record Outgoing(HttpRequest head, List<ByteBuf> bodyStart, boolean decodeRest) {
}
