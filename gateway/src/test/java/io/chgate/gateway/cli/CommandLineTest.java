package io.chgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream previous = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            int exit = new CommandLine(new Chgate()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                    .execute(args);
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setIn(previous);
        }
    }

    @Test
    void checkConfigListsEveryProblemOfIntegrations() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                integrations:
                  - name: a
                    source: oracle
                    address: db:1521
                  - name: a
                    source: mysql
                    database: crm
                unmanaged_references: sometimes
                """);
        Run r = run("", "check-config", "--config", config.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(config + ":3:5: integrations[0].source: must be postgresql, mysql or kafka")
                .contains("integrations[0].database: needs the database on the endpoint")
                .contains("integrations[1].name: duplicate integration name 'a'")
                .contains("integrations[1].address: needs host:port")
                .contains(config + ":8:1: unmanaged_references: must be refuse or allow")
                .contains("5 problem(s)");
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "listen: 127.0.0.1:9999\n");
        assertThat(run("", "check-config", "--config", good.toString()).out()).contains("configuration OK");
    }

    @Test
    void engineKeysAreCheckedAndAnEngineNodeServesSomeone() throws Exception {
        Path weak = dir.resolve("weak.key");
        Files.writeString(weak, "short\n");
        Path config = dir.resolve("nodes.yaml");
        Files.writeString(config, "upstream:\n  url: http://127.0.0.1:18300\n  engine_key_file: " + weak + "\n");
        Run r = run("", "check-config", "--config", config.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("upstream.engine_key_file: the engine key in " + weak + " must be at least 32")
                .doesNotContain("short");
        Files.writeString(config, "upstream:\n  url: http://127.0.0.1:18300\n  engine_key_file: " + dir.resolve("none")
                + "\n");
        assertThat(run("", "check-config", "--config", config.toString()).err())
                .contains("upstream.engine_key_file: cannot read the engine key file");
        Run engine = run("", "engine", "--port", "0", "--data-dir", dir.resolve("data").toString());
        assertThat(engine.exit()).isEqualTo(2);
        assertThat(engine.err()).contains("give --admin-password-file, --key-file or both");
    }

    @Test
    void rewriteExplainsEachStatementWithSecretsMasked() throws Exception {
        Path config = dir.resolve("chgate.yaml");
        Files.writeString(config, """
                integrations:
                  - name: shop_pg
                    source: postgresql
                    address: pg.prod:5432
                    database: shop
                """);
        Run r = run("""
                {"sql": "SELECT * FROM postgresql('pg.prod:5432', 'shop', 'orders', 'u', 'hunter2')"}
                {"sql": "SELECT 1"}
                not json
                """, "rewrite", "--config", config.toString());
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(3);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertThat(first.path("rewritten").asText()).isEqualTo("SELECT * FROM postgresql(shop_pg, table = 'orders')");
        assertThat(first.path("references").get(0).path("source").asText()).isEqualTo("postgresql");
        assertThat(first.path("references").get(0).path("arguments").path("password").asText()).isEqualTo("******");
        assertThat(first.path("sql").asText()).doesNotContain("hunter2");
        assertThat(r.out()).doesNotContain("hunter2");
        assertThat(new ObjectMapper().readTree(lines[1]).path("rewritten").asText()).isEqualTo("SELECT 1");
        assertThat(new ObjectMapper().readTree(lines[2]).path("error").asText()).contains("not a JSON object");
        assertThat(r.exit()).isEqualTo(1);
    }
}
