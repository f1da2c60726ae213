package io.chgate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every service of the stack answers for real. */
class LocalStackTest {
    private final LocalStack stack = LocalStack.get();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void clickHouseServerAnswersAndTheAuthUserLogsIn() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.clickhouseHttpUrl()
                + "/?query=SELECT%20user%20FROM%20system.processes"))
                .header("X-ClickHouse-User", stack.clickhouseAuthUser())
                .header("X-ClickHouse-Key", stack.clickhouseAuthPassword()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(stack.clickhouseAuthUser() + "\n");
        assertThat(stack.clickhouseVersion()).startsWith("18.");
    }

    @Test
    void postgresHasTheShopOrders() throws Exception {
        assertThat(run(new ProcessBuilder("env", "PGPASSWORD=" + stack.pgPassword(), "psql", "-h", stack.pgHost(),
                "-p", Integer.toString(stack.pgPort()), "-U", stack.pgUser(), "-d", stack.pgDatabase(), "-tAc",
                "SELECT count(*) FROM public.orders"))).isEqualTo("3");
    }

    @Test
    void mariadbHasTheShopOrders() throws Exception {
        assertThat(run(new ProcessBuilder("env", "MYSQL_PWD=" + stack.mariadbPassword(), "mariadb", "-h",
                stack.mariadbHost(), "-P", Integer.toString(stack.mariadbPort()), "-u", stack.mariadbUser(), "-N",
                "-e", "SELECT count(*) FROM orders", stack.mariadbDatabase()))).isEqualTo("3");
    }

    @Test
    void openBaoIsUnsealedAndTheTokenWorks() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.vaultAddr()
                + "/v1/auth/token/lookup-self")).header("X-Vault-Token", stack.vaultToken()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"policies\":[\"root\"]");
    }

    @Test
    void theClickHouse26EngineIsInstalled() throws Exception {
        assertThat(Files.size(stack.chdbLibrary())).isGreaterThan(100_000_000L);
    }

    private static String run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes()).trim();
    }
}
