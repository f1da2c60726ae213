package io.chgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.testkit.LocalStack;
import io.chgate.vault.AdminException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** chgate's own DDL channel to an https upstream (the stack's 18.16 on its HTTPS port) trusts upstream.tls's CAs. */
class HttpsAdminChannelTest {
    private static GatewayConfig config(String caFile, String url, List<String> nodes) {
        GatewayConfig config = new ConfigLoader(Map.of()).load().config();
        config.upstream.url = url;
        config.upstream.nodes = nodes;
        config.upstream.tls.caFile = caFile;
        return config;
    }

    @Test
    void runsOverTlsWithTheConfiguredCa() throws Exception {
        LocalStack stack = LocalStack.get();
        assertThat(RunCommand.adminChannel(config(stack.clickhouseTlsCaFile(), stack.clickhouseHttpsUrl(), List.of()))
                .execute("SELECT 1")).isEqualTo("1\n");
        assertThat(RunCommand.adminChannel(config(stack.clickhouseTlsCaFile(), stack.clickhouseHttpUrl(),
                List.of(stack.clickhouseHttpUrl(), stack.clickhouseHttpsUrl()))).execute("SELECT 2")).contains("2");
        // the JDK's CAs never signed the stack's certificate: nothing is sent, the admin password included
        assertThatThrownBy(() -> RunCommand.adminChannel(config("", stack.clickhouseHttpsUrl(), List.of()))
                .execute("SELECT 1")).isInstanceOf(AdminException.class).hasMessageContaining("unreachable");
    }
}
