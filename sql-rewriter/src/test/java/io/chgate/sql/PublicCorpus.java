package io.chgate.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The public SQL corpus (the SQL test data of clickhouse-sql-parser, much of it from ClickHouse's own functional
 * tests): an extra test tier, read only when {@code CHGATE_CORPUS} points at it, since a clone does not carry it.
 */
final class PublicCorpus {
    static final String VARIABLE = "CHGATE_CORPUS";

    private PublicCorpus() {
    }

    static boolean configured() {
        String value = System.getenv(VARIABLE);
        return value != null && !value.isBlank();
    }

    /** The statements of every .sql file under the folder, each file split at top-level semicolons; none unset. */
    static List<String> statements() {
        if (!configured()) {
            return List.of();
        }
        Path dir = Path.of(System.getenv(VARIABLE));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(VARIABLE + " is " + dir + ", which is not a folder of .sql files");
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                out.addAll(Statements.split(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
