package io.chgate.engine;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where libchdb.so is and how it is loaded. */
final class EngineLibrary {
    private EngineLibrary() {
    }

    /**
     * Where libchdb.so is: {@code explicit} if given, else $CHDB_LIB, else the stack's stack.env, else the path
     * {@code dev/stack} installs it to.
     */
    static Path find(Path explicit) {
        List<Path> candidates = new ArrayList<>();
        if (explicit != null) {
            candidates.add(explicit);
        }
        String env = System.getenv("CHDB_LIB");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        String stackDir = System.getenv("CHGATE_STACK_DIR");
        Path stackEnv = Path.of(stackDir != null && !stackDir.isBlank() ? stackDir : "/var/lib/chgate-stack",
                "stack.env");
        try {
            if (Files.exists(stackEnv)) {
                for (String line : Files.readAllLines(stackEnv)) {
                    if (line.startsWith("CHDB_LIB=") && line.length() > 9) {
                        candidates.add(Path.of(line.substring(9).trim()));
                    }
                }
            }
        } catch (IOException ignored) {
            // fall through to the default location
        }
        String home = System.getenv("CHGATE_HOME");
        Path downloads = home != null && !home.isBlank() ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".chgate");
        candidates.add(downloads.resolve("chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new EngineUnavailableException("the ClickHouse engine (libchdb.so, npm package @chdb/lib-linux-x64-gnu)"
                + " is not installed; looked in " + candidates + ". Run dev/stack up to install it", null);
    }

    /** Loads the library with the engine's signal handlers off: the JVM relies on its own (null checks). */
    static ChdbLibrary load(Path library) {
        ChdbLibrary lib;
        try {
            lib = Native.load(library.toString(), ChdbLibrary.class);
        } catch (UnsatisfiedLinkError e) {
            throw new EngineUnavailableException("cannot load the ClickHouse engine from " + library + " ("
                    + e.getMessage() + "); run dev/stack up to install it", e);
        }
        lib.chdb_set_signal_handlers_enabled(false);
        return lib;
    }
}
