package io.chgate.gateway;

import static io.chgate.gateway.TransparencyTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Response;
import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.GatewayConfig;
import io.chgate.gateway.credentials.ManagedCredentials;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.proxy.GatewayServer;
import io.chgate.testkit.LocalStack;
import io.chgate.vault.HttpAdminChannel;
import io.chgate.vault.VaultClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code managed_credentials: inline} on the ClickHouse 18.16 server, which has no named collections: the BI tool
 * sends no password, chgate writes the credentials it fetched from OpenBao into the forwarded query, and
 * {@code mysql()} reads the real MariaDB table.
 */
class InlineCredentialsTest {

    @Test
    void credentialsFromVaultAreInjectedForAServerWithoutNamedCollections() throws Exception {
        LocalStack stack = LocalStack.get();
        VaultClient.withToken(stack.vaultAddr(), stack.vaultToken()).writeKv2("secret", "chgate-test/inline_mariadb",
                Map.of("username", stack.mariadbUser(), "password", stack.mariadbPassword()));
        GatewayConfig config = new ConfigLoader(Map.of(
                "CHGATE_MANAGED_CREDENTIALS", "inline",
                "CHGATE_VAULT_ADDRESS", stack.vaultAddr(),
                "CHGATE_VAULT_TOKEN", stack.vaultToken()))
                .flag("listen", "127.0.0.1:0", "test").flag("upstream.url", stack.clickhouseHttpUrl(), "test").load()
                .config();
        GatewayConfig.Integration shop = new GatewayConfig.Integration();
        shop.name = "inline_mariadb";
        shop.source = "mysql";
        shop.address = "127.0.0.1:" + stack.mariadbPort();
        shop.database = "shop";
        shop.credentials = new GatewayConfig.Credentials();
        shop.credentials.kv = new GatewayConfig.Kv();
        shop.credentials.kv.path = "chgate-test/inline_mariadb";
        config.integrations.add(shop);
        ManagedCredentials credentials = ManagedCredentials.start(config,
                new HttpAdminChannel(URI.create(stack.clickhouseHttpUrl()), "default", ""));
        try (GatewayServer server = GatewayServer.start(config, RewritingInterceptor.fromConfig(config, 1, credentials));
                RawHttp c = new RawHttp("127.0.0.1", server.address().getPort())) {
            Response r = c.exchange(RawHttp.request("GET", q("SELECT customer, amount FROM mysql('127.0.0.1:"
                    + stack.mariadbPort() + "', 'shop', 'orders', 'bi_dashboard', '') ORDER BY id"), List.of(), null), false);
            // ClickHouse's error would quote the forwarded query, which holds the injected password: mask it.
            assertThat(r.status()).as(r.bodyText().replace(stack.mariadbPassword(), "******")).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("alice\t12.50\nbob\t7.25\ncarol\t99.99\n");
            // Two tokens where one literal belongs: spliced verbatim, the server's syntax error would quote the
            // password it was written next to.
            Response twoTokens = c.exchange(RawHttp.request("GET", q("SELECT count() FROM mysql('127.0.0.1:"
                    + stack.mariadbPort() + "', 'shop', 'orders' 'x', 'dash', '')"), List.of(), null), false);
            assertThat(twoTokens.status()).isEqualTo(403);
            assertThat(twoTokens.bodyText()).contains("write the table as a literal")
                    .doesNotContain(stack.mariadbPassword());
            Response unknown = c.exchange(RawHttp.request("GET", q("SELECT 1 FROM mysql('db.elsewhere:3306', 'shop', "
                    + "'orders', 'u', 'p')"), List.of(), null), false);
            assertThat(unknown.status()).isEqualTo(403);
            assertThat(unknown.bodyText()).doesNotContain(stack.mariadbPassword());
        } finally {
            credentials.close();
        }
    }
}
