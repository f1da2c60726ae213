package io.chgate.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.testkit.LocalStack;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What chgate finds the servers of the stack can do, and the version rule for Kafka logins in collections. */
class CapabilitiesTest {
    @Test
    void theStacksServersAreTold() {
        LocalStack stack = LocalStack.get();
        Capabilities old = Capabilities.detect(new HttpAdminChannel(URI.create(stack.clickhouseHttpUrl()), "default",
                ""));
        assertThat(old.namedCollections()).isFalse();
        assertThat(old.kafkaSaslInCollections()).as(old.version()).isFalse();
        Capabilities engine = Capabilities.detect(new EngineAdminChannel(EmbeddedClickHouse.shared(stack.chdbLibrary(),
                Path.of(System.getProperty("java.io.tmpdir"), "chgate-vault-test-" + ProcessHandle.current().pid()), 2)));
        assertThat(engine.namedCollections()).isTrue();
        assertThat(engine.kafkaSaslInCollections()).as(engine.version()).isTrue();
    }

    @Test
    void kafkaLoginsInCollectionsFrom25Point4() {
        assertThat(new Capabilities("25.3.9.1", true).kafkaSaslInCollections()).isFalse();
        assertThat(new Capabilities("25.4.1.1", true).kafkaSaslInCollections()).isTrue();
        assertThat(new Capabilities("26.7.2.1", true).kafkaSaslInCollections()).isTrue();
        assertThat(new Capabilities("24.12", true).kafkaSaslInCollections()).isFalse();
        assertThat(new Capabilities("not a version", true).kafkaSaslInCollections()).isFalse();
    }
}
