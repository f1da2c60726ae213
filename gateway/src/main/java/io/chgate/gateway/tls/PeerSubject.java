package io.chgate.gateway.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;

/**
 * The subject of the client certificate a TLS connection's handshake verified, kept on the channel when the
 * handshake completes (and the handshake counted). It comes from the TLS session alone, never from anything the
 * client sends in HTTP.
 */
@ChannelHandler.Sharable
public final class PeerSubject extends ChannelInboundHandlerAdapter {
    public static final PeerSubject RECORDER = new PeerSubject();

    private static final AttributeKey<X500Principal> SUBJECT = AttributeKey.valueOf("chgate.tls.peer-subject");

    private PeerSubject() {
    }

    /** The verified client certificate's subject, or null (plain HTTP, or TLS without a client certificate). */
    public static X500Principal of(Channel channel) {
        return channel.hasAttr(SUBJECT) ? channel.attr(SUBJECT).get() : null;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            TlsStats.CLIENT_HANDSHAKE_FAILURES.increment();
        } else if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            TlsStats.CLIENT_HANDSHAKES.increment();
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            try {
                Certificate[] peer = tls.engine().getSession().getPeerCertificates();
                if (peer.length > 0 && peer[0] instanceof X509Certificate certificate) {
                    ctx.channel().attr(SUBJECT).set(certificate.getSubjectX500Principal());
                }
            } catch (SSLPeerUnverifiedException e) {
                // no client certificate: nothing to record
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(event);
    }
}
