package io.chgate.bench;

import io.chgate.sql.SqlParseException;
import io.chgate.sql.SqlRewriter;
import io.chgate.sql.Statements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The rewriter's parse cost over a statement set, written out (NUL-separated) so another parser can be measured on
 * exactly the same statements: {@code ParserComparison CORPUS_DIR BI_DIR OUT_FILE}.
 */
public final class ParserComparison {

    public static void main(String[] args) throws IOException {
        List<String> statements = new ArrayList<>(corpus(Path.of(args[0])));
        statements.addAll(bi(Path.of(args[1])));
        StringBuilder out = new StringBuilder();
        statements.forEach(s -> out.append(s).append('\0'));
        Files.writeString(Path.of(args[2]), out, StandardCharsets.UTF_8);
        for (int warm = 0; warm < 20; warm++) {
            run(statements, true);
            run(statements, false);
        }
        int rounds = 30;
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            run(statements, true);
        }
        double full = (System.nanoTime() - start) / (double) (rounds * statements.size());
        start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            run(statements, false);
        }
        double gateway = (System.nanoTime() - start) / (double) (rounds * statements.size());
        System.out.printf(Locale.ROOT, "chgate rewriter: %d statements; full lex + reference finding %.0f ns/statement;"
                + " as the gateway runs it (pre-check first) %.0f ns/statement%n", statements.size(), full, gateway);
    }

    private static int run(List<String> statements, boolean full) {
        int found = 0;
        for (String sql : statements) {
            try {
                found += (full ? SqlRewriter.analyzeFully(sql) : SqlRewriter.analyze(sql)).size();
            } catch (SqlParseException e) {
                found--;
            }
        }
        return found;
    }

    static List<String> corpus(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                out.addAll(Statements.split(Files.readString(file)));
            }
        }
        return out;
    }

    static List<String> bi(Path dir) throws IOException {
        List<String> templates = blocks(dir.resolve("queries.sql"));
        List<String> sources = blocks(dir.resolve("sources.txt")).get(0).lines().toList();
        List<String> out = new ArrayList<>();
        for (String template : templates) {
            for (String source : sources) {
                out.add(template.replace("{src}", source));
            }
        }
        out.addAll(blocks(dir.resolve("introspection.sql")));
        out.addAll(blocks(dir.resolve("ddl.sql")));
        return out;
    }

    private static List<String> blocks(Path file) throws IOException {
        String text = Files.readString(file);
        while (text.startsWith("-- ")) {
            text = text.substring(text.indexOf('\n') + 1);
        }
        List<String> out = new ArrayList<>();
        for (String block : text.split("\n;;\n")) {
            if (!block.isBlank()) {
                out.add(block.strip());
            }
        }
        return out;
    }

}
