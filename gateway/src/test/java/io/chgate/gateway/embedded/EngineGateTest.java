package io.chgate.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.http.EngineKey;
import io.chgate.gateway.http.EngineKeyWriter;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The engine port's door, in Netty's own in-memory channel: what passes on to the engine and what is answered. */
class EngineGateTest {
    private final EngineKey key = EngineKey.random();

    private static HttpRequest post(String uri) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
    }

    private String keyValue() {
        HttpRequest carrier = post("/");
        key.addTo(carrier.headers());
        return carrier.headers().get(EngineKey.HEADER);
    }

    @Test
    void aRequestWithTheKeyPassesWithoutIt() {
        EmbeddedChannel channel = new EmbeddedChannel(new EngineGate(key, null));
        HttpRequest request = post("/");
        key.addTo(request.headers());
        channel.writeInbound(request, new DefaultLastHttpContent(Unpooled.copiedBuffer("SELECT 1",
                StandardCharsets.UTF_8)));
        HttpRequest passed = channel.readInbound();
        assertThat(passed.headers().contains(EngineKey.HEADER)).as("the key goes no further").isFalse();
        assertThat((Object) channel.readInbound()).isInstanceOf(DefaultLastHttpContent.class);
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void withoutTheKeyOrWithAWrongOneNothingPassesAndTheConnectionCloses() {
        for (String presented : new String[] {null, "", "0".repeat(64), keyValue() + "0", keyValue().substring(1)}) {
            EmbeddedChannel channel = new EmbeddedChannel(new EngineGate(key, null));
            HttpRequest request = post("/");
            if (presented != null) {
                request.headers().set(EngineKey.HEADER, presented);
            }
            HttpRequest keyed = post("/");
            key.addTo(keyed.headers());
            channel.writeInbound(request, new DefaultHttpContent(Unpooled.copiedBuffer("SELECT 1",
                    StandardCharsets.UTF_8)), new DefaultLastHttpContent(), keyed, new DefaultLastHttpContent());
            assertThat((Object) channel.readInbound()).as("presented %s", presented).isNull();
            FullHttpResponse answer = channel.readOutbound();
            assertThat(answer.status().code()).isEqualTo(403);
            assertThat(answer.headers().get("X-ClickHouse-Exception-Code")).isEqualTo("516");
            assertThat(answer.content().toString(StandardCharsets.UTF_8)).startsWith("Code: 516. DB::Exception: ")
                    .doesNotContain(keyValue());
            answer.release();
            assertThat(channel.isOpen()).isFalse();
        }
    }

    @Test
    void theAdminLoginPassesOnlyWithItsPassword() {
        EngineAdminLogin admin = new EngineAdminLogin("chgate_admin", EngineAdminLogin.sha256("right"));
        for (String password : new String[] {"right", "wrong"}) {
            EmbeddedChannel channel = new EmbeddedChannel(new EngineGate(null, admin));
            HttpRequest request = post("/");
            request.headers().set("X-ClickHouse-User", "chgate_admin").set("X-ClickHouse-Key", password);
            channel.writeInbound(request);
            assertThat((Object) channel.readInbound()).as(password).isEqualTo(password.equals("right") ? request : null);
        }
    }

    @Test
    void pingIsAnsweredForAnyoneAndRunsNothing() {
        EmbeddedChannel channel = new EmbeddedChannel(new EngineGate(key, null));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ping"));
        assertThat((Object) channel.readInbound()).isNull();
        FullHttpResponse answer = channel.readOutbound();
        assertThat(answer.content().toString(StandardCharsets.UTF_8)).isEqualTo("Ok.\n");
        answer.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void theWriterPutsTheKeyOnACopyAndReplacesAClientsValue() {
        EmbeddedChannel upstream = new EmbeddedChannel(new EngineKeyWriter(key));
        HttpRequest sent = post("/");
        sent.headers().set(EngineKey.HEADER, "client-chosen");
        upstream.writeOutbound(sent);
        HttpRequest onTheWire = upstream.readOutbound();
        assertThat(key.presentedIn(onTheWire.headers())).isTrue();
        assertThat(onTheWire.headers().getAll(EngineKey.HEADER)).hasSize(1);
        assertThat(sent.headers().get(EngineKey.HEADER)).as("the proxy's own object").isEqualTo("client-chosen");
        assertThat(key.toString()).doesNotContain(keyValue());
    }
}
