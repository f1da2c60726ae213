package io.chgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real local services tests run against, as {@code dev/stack up} started them and described them in
 * {@code stack.env}. {@link #get()} brings the stack up once per JVM when it is not answering, and fails with a
 * message saying what to run when it cannot.
 */
public final class LocalStack {
    private static LocalStack instance;

    private final Path repo;
    private final Map<String, String> env;

    private LocalStack(Path repo, Map<String, String> env) {
        this.repo = repo;
        this.env = env;
    }

    /** The running stack; starts it with {@code dev/stack up} if it is not answering. */
    public static synchronized LocalStack get() {
        if (instance == null) {
            Path repo = repoRoot();
            Path envFile = envFile();
            if (!Files.exists(envFile) || !answering(read(envFile))) {
                run(repo, List.of("up"));
            }
            if (!Files.exists(envFile)) {
                throw new IllegalStateException("dev/stack up finished but wrote no " + envFile);
            }
            instance = new LocalStack(repo, read(envFile));
        }
        return instance;
    }

    public static Path stateDir() {
        String dir = System.getenv("CHGATE_STACK_DIR");
        return Path.of(dir != null && !dir.isEmpty() ? dir : "/var/lib/chgate-stack");
    }

    private static Path envFile() {
        return stateDir().resolve("stack.env");
    }

    /** The checkout's root: the system property {@code chgate.repo}, else the nearest folder holding dev/stack. */
    public static Path repoRoot() {
        String property = System.getProperty("chgate.repo");
        if (property != null && Files.exists(Path.of(property, "dev", "stack"))) {
            return Path.of(property);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("dev").resolve("stack"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the chgate checkout (a folder with dev/stack) above "
                + Path.of("").toAbsolutePath() + "; set -Dchgate.repo=/path/to/chgate");
    }

    private static Map<String, String> read(Path file) {
        Map<String, String> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return values;
    }

    private static boolean answering(Map<String, String> env) {
        try {
            URI ch = URI.create(env.getOrDefault("CLICKHOUSE_HTTP_URL", "http://127.0.0.1:1"));
            URI chTls = URI.create(env.getOrDefault("CLICKHOUSE_HTTPS_URL", "https://127.0.0.1:1"));
            URI vault = URI.create(env.getOrDefault("VAULT_ADDR", "http://127.0.0.1:1"));
            return listening(ch.getHost(), ch.getPort()) && listening(chTls.getHost(), chTls.getPort())
                    && listening(env.getOrDefault("PG_HOST", "127.0.0.1"), Integer.parseInt(env.getOrDefault("PG_PORT", "1")))
                    && listening(env.getOrDefault("MARIADB_HOST", "127.0.0.1"),
                            Integer.parseInt(env.getOrDefault("MARIADB_PORT", "1")))
                    && listening(vault.getHost(), vault.getPort())
                    && Files.exists(Path.of(env.getOrDefault("CHDB_LIB", "/nonexistent")));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Waits until a process just started listens on a loopback port.
     *
     * @throws IllegalStateException when it exits first, or does not listen within 60 s; {@code what} says which
     */
    public static void awaitListening(Process process, int port, String what) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (listening("127.0.0.1", port)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited before listening on port " + port);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(what + " did not listen on port " + port + " within 60 s");
    }

    /** SIGKILL, and wait (at most 30 s) until the process is gone: a node dying at once, mid-request if need be. */
    public static void killNow(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static boolean listening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(Path repo, List<String> args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(repo.resolve("dev").resolve("stack").toString());
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).directory(repo.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("dev/stack " + String.join(" ", args) + " did not finish in 30 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("dev/stack " + String.join(" ", args) + " failed (exit "
                        + p.exitValue() + "); run it by hand in " + repo + " to see why");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run dev/stack in " + repo, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops one service ({@code clickhouse}, {@code postgres}, {@code mariadb}, {@code openbao}) for a fault test. */
    public void stopService(String service) {
        run(repo, List.of("stop", service));
    }

    /** Starts a service stopped by {@link #stopService} and waits until it answers. */
    public void startService(String service) {
        run(repo, List.of("start", service));
    }

    /**
     * Runs SQL in the stack's PostgreSQL database as its admin; the password travels in the environment and the
     * output is not shown (psql may echo a statement that holds one).
     */
    public void psql(String sql) {
        ProcessBuilder pb = new ProcessBuilder("psql", "-h", pgHost(), "-p", Integer.toString(pgPort()), "-U", pgUser(),
                "-d", pgDatabase(), "-v", "ON_ERROR_STOP=1", "-qc", sql).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", pgPassword());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("psql failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run psql (dev/stack up installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String value(String key) {
        String v = env.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException(key + " is missing from " + envFile() + "; run dev/stack up");
        }
        return v;
    }

    public String clickhouseHttpUrl() {
        return value("CLICKHOUSE_HTTP_URL");
    }

    /** The server's HTTPS interface, its certificate for 127.0.0.1 and localhost signed by the stack's own CA. */
    public String clickhouseHttpsUrl() {
        return value("CLICKHOUSE_HTTPS_URL");
    }

    /** PEM file of the CA that signed the server's HTTPS certificate. */
    public String clickhouseTlsCaFile() {
        return value("CLICKHOUSE_TLS_CA_FILE");
    }

    public int clickhouseTcpPort() {
        return Integer.parseInt(value("CLICKHOUSE_TCP_PORT"));
    }

    public String clickhouseVersion() {
        return value("CLICKHOUSE_VERSION");
    }

    public String clickhouseAuthUser() {
        return value("CLICKHOUSE_AUTH_USER");
    }

    public String clickhouseAuthPassword() {
        return value("CLICKHOUSE_AUTH_PASSWORD");
    }

    public String pgHost() {
        return value("PG_HOST");
    }

    public int pgPort() {
        return Integer.parseInt(value("PG_PORT"));
    }

    public String pgUser() {
        return value("PG_USER");
    }

    public String pgPassword() {
        return value("PG_PASSWORD");
    }

    public String pgDatabase() {
        return value("PG_DATABASE");
    }

    public String mariadbHost() {
        return value("MARIADB_HOST");
    }

    public int mariadbPort() {
        return Integer.parseInt(value("MARIADB_PORT"));
    }

    public String mariadbUser() {
        return value("MARIADB_USER");
    }

    public String mariadbPassword() {
        return value("MARIADB_PASSWORD");
    }

    public String mariadbDatabase() {
        return value("MARIADB_DATABASE");
    }

    /** The Kafka broker's PLAINTEXT listener (no login): for producing test messages and administering it. */
    public String kafkaBootstrap() {
        return value("KAFKA_BOOTSTRAP");
    }

    /** The Kafka broker's SASL_PLAINTEXT listener: PLAIN for {@link #kafkaPlainUser}, SCRAM for the SCRAM user. */
    public String kafkaSaslBootstrap() {
        return value("KAFKA_SASL_BOOTSTRAP");
    }

    /** The stack's OpenBao, for configuring what tests need in it. */
    public StackVault vault() {
        return new StackVault(this);
    }

    /** A client of the broker for tests (close it). */
    public StackKafka kafka() {
        return new StackKafka(kafkaBootstrap());
    }

    public String kafkaPlainUser() {
        return value("KAFKA_PLAIN_USER");
    }

    public String kafkaPlainPassword() {
        return value("KAFKA_PLAIN_PASSWORD");
    }

    /** A SCRAM-SHA-256 and SCRAM-SHA-512 user. */
    public String kafkaScramUser() {
        return value("KAFKA_SCRAM_USER");
    }

    public String kafkaScramPassword() {
        return value("KAFKA_SCRAM_PASSWORD");
    }

    public String vaultAddr() {
        return value("VAULT_ADDR");
    }

    public String vaultToken() {
        return value("VAULT_TOKEN");
    }

    /** OpenBao's audit log: one JSON line per request and response (secret values HMAC'd by OpenBao). */
    public Path vaultAuditLog() {
        return Path.of(value("VAULT_AUDIT_LOG"));
    }

    /** The Python of the venv holding clickhouse-connect (the conformance suite's Python client). */
    public Path clientPython() {
        return existing(value("CLIENT_PYTHON"), "the Python client");
    }

    /** The node_modules holding @clickhouse/client (the conformance suite's Node client). */
    public Path clientNodeModules() {
        return existing(value("CLIENT_NODE_MODULES"), "the Node client");
    }

    /** The class path of client-v2 (the conformance suite's Java client), as dev/stack resolved it. */
    public String clientJavaClasspath() {
        try {
            return Files.readString(existing(value("CLIENT_JAVA_CLASSPATH_FILE"), "the Java client")).strip();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the Java client's class path; run dev/stack up", e);
        }
    }

    /** The Go module cache holding clickhouse-go (the conformance suite's Go client), filled by dev/stack. */
    public Path clientGoModCache() {
        return existing(value("CLIENT_GO_MODCACHE"), "the Go client's module cache");
    }

    private Path existing(String path, String what) {
        Path p = Path.of(path);
        if (!Files.exists(p)) {
            throw new IllegalStateException(what + " is not at " + p + "; run dev/stack up");
        }
        return p;
    }

    public Path chdbLibrary() {
        Path lib = Path.of(value("CHDB_LIB"));
        if (!Files.exists(lib)) {
            throw new IllegalStateException("the ClickHouse 26 engine is not at " + lib + "; run dev/stack up");
        }
        return lib;
    }

    @Override
    public String toString() {
        return "LocalStack[" + stateDir() + "]";   // never the values: some are passwords
    }
}
