package io.chgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chgate.gateway.RawHttp.Header;
import io.chgate.gateway.RawHttp.Response;
import io.chgate.testkit.LocalStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rights matrix: gateway users × integrations × reference forms, on the ClickHouse 26 engine with real
 * PostgreSQL and MariaDB behind OpenBao-held credentials. A user reaches exactly the integrations it is given,
 * whether the query writes the endpoint inline or names the collection.
 */
class UserRightsTest {
    static LocalStack stack;
    static EmbeddedGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        gateway = new EmbeddedGateway(stack)
                .integration("rights_pg", "postgresql", stack.pgPort(), "shop", stack.pgUser(), stack.pgPassword())
                .integration("rights_my", "mysql", stack.mariadbPort(), "shop", stack.mariadbUser(),
                        stack.mariadbPassword())
                .user("both", "both-pw", List.of("*"))
                .user("pg_only", "pg_only-pw", List.of("rights_pg"))
                .user("nothing", "nothing-pw", List.of())
                .user("filer", "filer-pw", List.of(), List.of("file"))
                .start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static List<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        Map<String, List<String>> rights = Map.of("both", List.of("pg", "my"), "pg_only", List.of("pg"),
                "nothing", List.of());
        for (var user : rights.entrySet()) {
            for (String integration : List.of("pg", "my")) {
                for (String form : List.of("inline", "named")) {
                    cases.add(Arguments.of(user.getKey(), integration, form, user.getValue().contains(integration)));
                }
            }
        }
        return cases;
    }

    static String reference(String integration, String form) {
        boolean pg = integration.equals("pg");
        if (form.equals("named")) {
            return (pg ? "postgresql" : "mysql") + "(rights_" + integration + ", table = 'orders')";
        }
        return (pg ? "postgresql" : "mysql") + "('127.0.0.1:" + (pg ? stack.pgPort() : stack.mariadbPort())
                + "', 'shop', 'orders', 'bi', 'typed-in-a-dashboard')";
    }

    @ParameterizedTest(name = "{0} {1} {2} allowed={3}")
    @MethodSource("matrix")
    void aUserReachesExactlyTheIntegrationsItIsGiven(String user, String integration, String form, boolean allowed)
            throws IOException {
        String sql = "SELECT count() FROM " + reference(integration, form);
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.port())) {
            Response r = c.exchange(RawHttp.request("POST", "/", List.of(new Header("X-ClickHouse-User", user),
                    new Header("X-ClickHouse-Key", user + "-pw")), sql.getBytes(StandardCharsets.UTF_8)), false);
            if (allowed) {
                assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("3\n");
            } else {
                assertThat(r.status()).as(r.bodyText()).isEqualTo(403);
                assertThat(r.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
                assertThat(r.bodyText()).contains("user '" + user + "' may not use").contains("rights_" + integration)
                        .doesNotContain(stack.pgPassword()).doesNotContain(stack.mariadbPassword());
            }
        }
    }

    /** Sources no integration is are refused for everyone but a user given that kind (sources:), and only that kind. */
    @org.junit.jupiter.api.Test
    void aUserGivenASourceKindReadsItAndNoOtherUserDoes() throws IOException {
        String readFile = "SELECT count() FROM file('chgate-rights-no-such-file.csv', 'CSV', 'x String')";
        Response filer = as("filer", readFile);
        assertThat(filer.header("X-ClickHouse-Exception-Code")).as(filer.bodyText()).isNotEqualTo("497");
        assertThat(filer.bodyText()).doesNotStartWith("Code: 497. DB::Exception: chgate");
        Response other = as("both", readFile);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
        Response url = as("filer", "SELECT * FROM url('http://127.0.0.1:1/x.csv', 'CSV', 'x String')");
        assertThat(url.header("X-ClickHouse-Exception-Code")).isEqualTo("497");
    }

    static Response as(String user, String sql) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", gateway.port())) {
            return c.exchange(RawHttp.request("POST", "/", List.of(new Header("X-ClickHouse-User", user),
                    new Header("X-ClickHouse-Key", user + "-pw")), sql.getBytes(StandardCharsets.UTF_8)), false);
        }
    }
}
