package io.chgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS keys as check-config reads them (certificates themselves: HttpsListenerTest, UpstreamTlsTest). */
class TlsConfigTest {
    @TempDir
    Path dir;

    private ConfigLoader.Loaded load(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("chgate.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader(env).file(file).load();
    }

    private static List<String> problems(ConfigLoader.Loaded loaded) {
        return loaded.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }

    @Test
    void listenTlsAloneServesHttpsOnlyAndBesideListenBoth() throws IOException {
        String tls = "listen_tls: {address: 127.0.0.1:8443, cert_file: /nonexistent/c.pem, key_file: /nonexistent/k.pem}\n";
        assertThat(load(tls, Map.of()).config().listen).isEmpty();
        assertThat(load("listen: 127.0.0.1:8124\n" + tls, Map.of()).config().listen).isEqualTo("127.0.0.1:8124");
        assertThat(load(tls, Map.of("CHGATE_LISTEN", "127.0.0.1:9124")).config().listen).isEqualTo("127.0.0.1:9124");
        assertThat(load("listen_tls: {cert_file: /x}\n", Map.of()).config().listen).isEqualTo("127.0.0.1:8124");
        assertThat(load("{}", Map.of("CHGATE_LISTEN_TLS_ADDRESS", "127.0.0.1:8443")).config().listenTls.address)
                .isEqualTo("127.0.0.1:8443");
    }

    @Test
    void unreadableFilesAndMissingPiecesAreNamed() throws IOException {
        assertThat(problems(load("listen_tls: {address: 127.0.0.1:8443, cert_file: /nonexistent/c.pem,"
                + " key_file: /nonexistent/k.pem, client_ca_file: /nonexistent/ca.pem}\n", Map.of())))
                .anySatisfy(p -> assertThat(p).startsWith("listen_tls.key_file: cannot read /nonexistent/c.pem"))
                .anySatisfy(p -> assertThat(p).startsWith("listen_tls.client_ca_file: cannot read"));
        assertThat(problems(load("listen_tls: {address: 127.0.0.1:8443}\n", Map.of())))
                .anySatisfy(p -> assertThat(p).startsWith("listen_tls.cert_file: "))
                .anySatisfy(p -> assertThat(p).startsWith("listen_tls.key_file: "));
        assertThat(problems(load("listen_tls: {cert_file: /x.pem, key_file: /y.pem}\n", Map.of())))
                .anySatisfy(p -> assertThat(p).startsWith("listen_tls.address: certificate files are given"));
        assertThat(problems(load("listen: ''\n", Map.of())))
                .anySatisfy(p -> assertThat(p).startsWith("listen: give listen or listen_tls.address"));
    }

    @Test
    void aCertificateSubjectNeedsClientCertificatesAndIsOneUsers() throws IOException {
        String users = """
                upstream: {url: http://127.0.0.1:18123}
                users:
                  - {name: bi, tls_subject: "CN=bi,O=Example", clickhouse: {user: bi}}
                  - {name: bi2, tls_subject: "O=Example, CN=bi", password_sha256_hex: %s, clickhouse: {user: bi}}
                  - {name: broken, tls_subject: "not a name", password_sha256_hex: %s, clickhouse: {user: bi}}
                  - {name: nopassword, clickhouse: {user: bi}}
                """.formatted("a".repeat(64), "a".repeat(64));
        assertThat(problems(load(users, Map.of())))
                .contains("users[0].tls_subject: a certificate subject needs client certificates: give"
                        + " listen_tls.client_ca_file")
                .anySatisfy(p -> assertThat(p).startsWith("users[2].tls_subject: not a certificate subject"))
                .anySatisfy(p -> assertThat(p).startsWith("users[3].password_sha256_hex: "))
                .noneSatisfy(p -> assertThat(p).startsWith("users[0].password_sha256_hex"));
        // "O=Example, CN=bi" is another order, so another name; the same name spelled otherwise is a duplicate
        String duplicate = users.replace("O=Example, CN=bi", "cn=bi, o=example");
        assertThat(problems(load(duplicate, Map.of())))
                .anySatisfy(p -> assertThat(p).startsWith("users[1].tls_subject: user bi has the same subject"));
    }

    @Test
    void httpsUpstreamsParse() throws IOException {
        assertThat(UpstreamAddress.parse("https://ch.example.com")).isEqualTo(
                new UpstreamAddress("ch.example.com", 8443, "ch.example.com:8443", true));
        assertThat(UpstreamAddress.parse("http://10.0.0.1").tls()).isFalse();
        assertThat(problems(load("upstream: {nodes: [http://127.0.0.1:18123, https://127.0.0.1:18443]}\n",
                Map.of()))).isEmpty();
        assertThat(problems(load("upstream: {url: ftp://x}\n", Map.of())))
                .anySatisfy(p -> assertThat(p).startsWith("upstream.url: expected an http:// or https:// URL"));
        assertThat(problems(load("upstream: {tls: {ca_file: /nonexistent/ca.pem, insecure_skip_verify: true}}\n",
                Map.of())))
                .anySatisfy(p -> assertThat(p).startsWith("upstream.tls.ca_file: cannot read"))
                .anySatisfy(p -> assertThat(p).startsWith("upstream.tls.insecure_skip_verify: "));
    }
}
