package io.chgate.engine;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The ClickHouse 26 engine in this process (libchdb.so through JNA).
 *
 * <p>Concurrency: the engine keeps one storage path per process, and a connection runs one statement at a time,
 * but several connections to the same path may be open at once. So this holds a fixed pool of connections; a query
 * borrows one, and callers beyond the pool wait (bounded by {@link #BORROW_TIMEOUT_SECONDS}) rather than sharing a
 * connection. There is one instance per process: {@link #shared}.
 *
 * <p>Memory: every native result is freed exactly once, in a {@code finally}, after its bytes are copied out.
 */
public final class EmbeddedClickHouse implements AutoCloseable {
    static final long BORROW_TIMEOUT_SECONDS = 300;
    private static EmbeddedClickHouse shared;

    private final ChdbLibrary lib;
    private final Path dataDir;
    private final List<Pointer> connectionPointers = new ArrayList<>();
    private final BlockingQueue<Pointer> idle;
    private volatile boolean closed;
    /** A connection only for KILL QUERY, so a cancel is never stuck behind the statements it stops. */
    private Pointer controlHandle;
    private Pointer control;

    private EmbeddedClickHouse(ChdbLibrary lib, Path dataDir, int connections) {
        this.lib = lib;
        this.dataDir = dataDir;
        this.idle = new ArrayBlockingQueue<>(connections);
        String[] argv = {"clickhouse", "--path=" + dataDir};
        for (int i = 0; i < connections; i++) {
            Pointer connectionPointer = lib.chdb_connect(argv.length, argv);
            if (connectionPointer == null) {
                close();
                throw new EngineException(1001, "Code: 1001. DB::Exception: the ClickHouse engine could not open "
                        + dataDir);
            }
            connectionPointers.add(connectionPointer);
            idle.add(connectionPointer.getPointer(0));
        }
    }

    /**
     * The process's engine on this data directory, opened on first use with {@code connections} connections.
     *
     * @throws IllegalStateException when the engine is already open on another directory (one per process)
     */
    public static synchronized EmbeddedClickHouse shared(Path library, Path dataDir, int connections) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (shared != null && !shared.closed) {
            if (!shared.dataDir.equals(dir)) {
                throw new IllegalStateException("the ClickHouse engine is already open on " + shared.dataDir
                        + "; it keeps one data directory per process");
            }
            return shared;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EngineUnavailableException("cannot create the engine's data directory " + dir, e);
        }
        ChdbLibrary lib;
        try {
            lib = Native.load(library.toString(), ChdbLibrary.class);
        } catch (UnsatisfiedLinkError e) {
            throw new EngineUnavailableException("cannot load the ClickHouse engine from " + library + " ("
                    + e.getMessage() + "); run dev/stack up to install it", e);
        }
        lib.chdb_set_signal_handlers_enabled(false);
        shared = new EmbeddedClickHouse(lib, dir, Math.max(1, connections));
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "chdb-close"));
        return shared;
    }

    /**
     * Where libchdb.so is: {@code explicit} if given, else $CHDB_LIB, else the stack's stack.env, else the path
     * {@code dev/stack} installs it to.
     */
    public static Path findLibrary(Path explicit) {
        List<Path> candidates = new ArrayList<>();
        if (explicit != null) {
            candidates.add(explicit);
        }
        String env = System.getenv("CHDB_LIB");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        String stackDir = System.getenv("CHGATE_STACK_DIR");
        Path stackEnv = Path.of(stackDir != null && !stackDir.isBlank() ? stackDir : "/var/lib/chgate-stack", "stack.env");
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
        Path downloads = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".chgate");
        candidates.add(downloads.resolve("chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new EngineUnavailableException("the ClickHouse engine (libchdb.so, npm package @chdb/lib-linux-x64-gnu)"
                + " is not installed; looked in " + candidates + ". Run dev/stack up to install it", null);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Runs a statement and returns its whole output in {@code format}. */
    public QueryResult query(String sql, String format) {
        byte[] query = sql.getBytes(StandardCharsets.UTF_8);
        byte[] fmt = format.getBytes(StandardCharsets.UTF_8);
        Pointer connection = borrow();
        try {
            return consume(lib.chdb_query_n(connection, query, query.length, fmt, fmt.length));
        } finally {
            idle.add(connection);
        }
    }

    public String queryText(String sql, String format) {
        return query(sql, format).text();
    }

    /**
     * ClickHouse's own canonical form of a statement ({@code formatQuery()}); the SQL travels as a bound parameter,
     * never spliced into the query text.
     */
    public String formatQuery(String sql) {
        Pointer connection = borrow();
        try {
            QueryResult r = consume(lib.chdb_query_with_params(connection, "SELECT formatQuery({q:String})", "TSVRaw",
                    new String[] {"q"}, new String[] {tsvEscaped(sql)}, 1));
            String text = r.text();
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } finally {
            idle.add(connection);
        }
    }

    /** Query parameter values are read in TSV's escaped form: a raw tab or newline would end the value. */
    static String tsvEscaped(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Receives a streamed result chunk by chunk; returning false stops the query. */
    @FunctionalInterface
    public interface ChunkSink {
        boolean accept(byte[] chunk);
    }

    /**
     * Runs a statement and hands its output over in chunks as the engine produces them, so a large result never
     * sits whole in memory. The connection stays borrowed until the stream ends or the sink stops it.
     */
    public void stream(String sql, String format, ChunkSink sink) {
        execute(new Request(sql, format, null, Map.of(), Map.of()), sink);
    }

    /**
     * One statement as ClickHouse's HTTP interface describes it: a current database, query-level settings and
     * {@code {name:Type}} parameters, all scoped to this statement alone.
     */
    public record Request(byte[] query, String format, String database, Map<String, String> settings,
            Map<String, String> parameters) {

        /** The statement as text (an INSERT's inline data may be binary: {@link #query} holds the exact bytes). */
        public Request(String sql, String format, String database, Map<String, String> settings,
                Map<String, String> parameters) {
            this(sql.getBytes(StandardCharsets.UTF_8), format, database, settings, parameters);
        }

        String sql() {
            return new String(query, StandardCharsets.UTF_8);
        }
    }

    /**
     * Runs a request on one connection, streaming its output. Database and settings are applied to the borrowed
     * connection before and reset after, so they never leak into another caller's statement.
     */
    public void execute(Request request, ChunkSink sink) {
        execute(request, sink, true);
    }

    /**
     * Like {@link #execute(Request, ChunkSink)}; with {@code stream} false the result is made whole, as one output of
     * its format. The engine's streamed chunks are each a complete output (a header and footer per block), which is
     * right only for formats whose outputs concatenate (TSV, CSV, JSONEachRow, Native, RowBinary, ...).
     */
    public void execute(Request request, ChunkSink sink, boolean stream) {
        execute(request, sink, stream, null);
    }

    /**
     * A way to stop a running statement from another thread (the client went away). The engine's own stream cancel
     * only stops fetching — an aggregation runs on to its end — so the statement carries a marker comment and is
     * stopped with {@code KILL QUERY} on a connection kept for that (measured: cancelled within half a second).
     */
    public final class Cancellation {
        private final String marker = "/* chgate:" + java.util.UUID.randomUUID() + " */ ";
        private volatile boolean cancelled;

        /** Stops the statement if it runs, and keeps it from starting if it has not. */
        public void cancel() {
            cancelled = true;
            kill(marker);
        }

        public boolean cancelled() {
            return cancelled;
        }

        Request marked(Request request) {
            byte[] prefix = marker.getBytes(StandardCharsets.UTF_8);
            byte[] query = new byte[prefix.length + request.query().length];
            System.arraycopy(prefix, 0, query, 0, prefix.length);
            System.arraycopy(request.query(), 0, query, prefix.length, request.query().length);
            return new Request(query, request.format(), request.database(), request.settings(), request.parameters());
        }
    }

    public Cancellation cancellation() {
        return new Cancellation();
    }

    private synchronized void kill(String marker) {
        if (closed) {
            return;
        }
        if (control == null) {
            String[] argv = {"clickhouse", "--path=" + dataDir};
            Pointer handle = lib.chdb_connect(argv.length, argv);
            if (handle == null) {
                return;
            }
            controlHandle = handle;
            control = handle.getPointer(0);
        }
        try {
            run(control, "KILL QUERY WHERE startsWith(query, " + quoteString(marker) + ") ASYNC");
        } catch (EngineException e) {
            // nothing to kill, or the engine refused: the statement ends on its own
        }
    }

    public void execute(Request given, ChunkSink sink, boolean stream, Cancellation cancellation) {
        execute(given, sink, stream, cancellation, null);
    }

    /**
     * Runs on the session's own connection when {@code session} is given: what the statement sets ({@code SET},
     * {@code USE}, temporary tables) stays for the session's next statement, while the request's own database and
     * settings (URL parameters) apply to this statement alone, as on ClickHouse's server.
     */
    public void execute(Request given, ChunkSink sink, boolean stream, Cancellation cancellation, Session session) {
        Request request = cancellation == null ? given : cancellation.marked(given);
        Pointer connection = session == null ? borrow() : session.connection;
        boolean clean = false;
        try {
            applyScope(connection, request);
            try {
                if (!stream) {
                    throw new EngineException(36, "Streaming query is not supported: one output wanted");
                }
                streamOn(connection, request, sink);
            } catch (EngineException e) {
                if (e.code() != 36 || !e.getMessage().contains("Streaming query is not supported")) {
                    throw e;
                }
                // DDL and INSERT have no streamed form, and some formats must be one output: run them whole.
                QueryResult whole = request.parameters().isEmpty() ? plain(connection, request)
                        : consume(lib.chdb_query_with_params(connection, request.sql(), request.format(),
                                request.parameters().keySet().toArray(String[]::new),
                                request.parameters().values().toArray(String[]::new), request.parameters().size()));
                if (whole.data().length > 0) {
                    sink.accept(whole.data());
                }
            }
        } finally {
            clean = resetScope(connection, request, session);
            giveBack(connection, session, clean);
        }
    }

    /** A pooled connection goes back to the pool (or is replaced when it could not be reset); a session keeps its own. */
    private void giveBack(Pointer connection, Session session, boolean clean) {
        if (session != null) {
            if (!clean) {
                session.broken = true;
            }
        } else if (clean) {
            idle.add(connection);
        } else {
            replace(connection);
        }
    }

    /**
     * A connection of its own for one client session ({@code session_id}), outside the pool: state set in it stays
     * for its next statement and is seen by no other.
     */
    public final class Session implements AutoCloseable {
        private final Pointer handle;
        private final Pointer connection;
        /** The database {@code USE} made current in this session. */
        private volatile String database = "default";
        private volatile boolean broken;

        private Session(Pointer handle) {
            this.handle = handle;
            this.connection = handle.getPointer(0);
        }

        public void use(String name) {
            this.database = name;
        }

        /** Whether a reset failed: the session's state is unknown and it must be ended. */
        public boolean broken() {
            return broken;
        }

        @Override
        public void close() {
            synchronized (EmbeddedClickHouse.this) {
                if (!closed) {
                    lib.chdb_close_conn(handle);
                }
            }
        }
    }

    public synchronized Session openSession() {
        if (closed) {
            throw new IllegalStateException("the ClickHouse engine is closed");
        }
        String[] argv = {"clickhouse", "--path=" + dataDir};
        Pointer handle = lib.chdb_connect(argv.length, argv);
        if (handle == null) {
            throw new EngineException(1001, "Code: 1001. DB::Exception: the engine opened no connection for a session");
        }
        return new Session(handle);
    }

    /** The data of a streaming INSERT, handed over in pieces; null when there is no more. */
    public interface ChunkSource {
        byte[] next();
    }

    /**
     * Runs {@code INSERT ... } with its data streamed into the engine as data, in {@code format}: never joined to
     * the statement's text, so no byte of it can run as SQL. Database and settings apply as for {@link #execute}.
     *
     * @param request the INSERT without its {@code FORMAT name} or {@code VALUES} clause
     * @return the rows written
     */
    public long insert(Request request, String format, ChunkSource data) {
        return insert(request, format, data, null);
    }

    /** Like {@link #insert(Request, String, ChunkSource)}, on a session's connection when one is given. */
    public long insert(Request request, String format, ChunkSource data, Session session) {
        if (!request.parameters().isEmpty()) {
            throw new EngineException(48, "Code: 48. DB::Exception: query parameters in an INSERT with inline data are"
                    + " not supported by the embedded engine. (NOT_IMPLEMENTED)");
        }
        Pointer connection = session == null ? borrow() : session.connection;
        try {
            applyScope(connection, request);
            byte[] query = request.query();
            byte[] fmt = format.getBytes(StandardCharsets.UTF_8);
            Pointer stream = lib.chdb_stream_insert_n(connection, query, query.length, fmt, fmt.length);
            if (stream == null) {
                throw new EngineException(1001, "Code: 1001. DB::Exception: the engine opened no insert stream");
            }
            try {
                throwIfInsertError(stream);
                for (byte[] chunk = data.next(); chunk != null; chunk = data.next()) {
                    if (chunk.length > 0 && lib.chdb_stream_append(stream, chunk, chunk.length) != 0) {
                        throwIfInsertError(stream);
                        throw new EngineException(1001, "Code: 1001. DB::Exception: the engine refused insert data");
                    }
                }
                Pointer result = lib.chdb_stream_done(stream);
                if (result == null) {
                    throwIfInsertError(stream);
                    return 0;
                }
                try {
                    throwIfError(result);
                    return lib.chdb_result_rows_written(result);
                } finally {
                    lib.chdb_destroy_query_result(result);
                }
            } catch (RuntimeException e) {
                lib.chdb_stream_cancel_insert(stream);
                throw e;
            } finally {
                lib.chdb_destroy_insert_stream(stream);
            }
        } finally {
            giveBack(connection, session, resetScope(connection, request, session));
        }
    }

    private void throwIfInsertError(Pointer stream) {
        String error = lib.chdb_stream_insert_error(stream);
        if (error != null && !error.isEmpty()) {
            throw EngineException.fromEngineText(error);
        }
    }

    private void applyScope(Pointer connection, Request request) {
        if (request.database() != null) {
            run(connection, "USE " + quoteIdentifier(request.database()));
        }
        for (Map.Entry<String, String> setting : request.settings().entrySet()) {
            run(connection, "SET " + settingName(setting.getKey()) + " = " + quoteString(setting.getValue()));
        }
    }

    /** Undoes {@link #applyScope}; false when the connection could not be reset and must not be reused. */
    private boolean resetScope(Pointer connection, Request request, Session session) {
        try {
            if (request.database() != null) {
                run(connection, "USE " + quoteIdentifier(session == null ? "default" : session.database));
            }
            for (String name : request.settings().keySet()) {
                run(connection, "SET " + settingName(name) + " = DEFAULT");
            }
            return true;
        } catch (EngineException e) {
            return false;
        }
    }

    private void streamOn(Pointer connection, Request request, ChunkSink sink) {
        Pointer stream;
        if (request.parameters().isEmpty()) {
            byte[] query = request.query();
            byte[] fmt = request.format().getBytes(StandardCharsets.UTF_8);
            stream = lib.chdb_stream_query_n(connection, query, query.length, fmt, fmt.length);
        } else {
            String[] names = request.parameters().keySet().toArray(String[]::new);
            String[] values = new String[names.length];
            for (int i = 0; i < names.length; i++) {
                values[i] = request.parameters().get(names[i]);
            }
            stream = lib.chdb_stream_query_with_params(connection, request.sql(), request.format(), names, values,
                    names.length);
        }
        try {
            throwIfError(stream);
            while (true) {
                Pointer chunk = lib.chdb_stream_fetch_result(connection, stream);
                byte[] bytes;
                try {
                    throwIfError(chunk);
                    bytes = copy(chunk);
                } finally {
                    lib.chdb_destroy_query_result(chunk);
                }
                if (bytes.length == 0) {
                    return;
                }
                if (!sink.accept(bytes)) {
                    lib.chdb_stream_cancel_query(connection, stream);
                    return;
                }
            }
        } finally {
            lib.chdb_destroy_query_result(stream);
        }
    }

    private QueryResult plain(Pointer connection, Request request) {
        byte[] query = request.query();
        byte[] fmt = request.format().getBytes(StandardCharsets.UTF_8);
        return consume(lib.chdb_query_n(connection, query, query.length, fmt, fmt.length));
    }

    private void run(Pointer connection, String sql) {
        byte[] query = sql.getBytes(StandardCharsets.UTF_8);
        byte[] fmt = "TSV".getBytes(StandardCharsets.UTF_8);
        consume(lib.chdb_query_n(connection, query, query.length, fmt, fmt.length));
    }

    /** A connection left in an unknown state is closed and a fresh one takes its place in the pool. */
    private synchronized void replace(Pointer connection) {
        for (int i = 0; i < connectionPointers.size(); i++) {
            Pointer connectionPointer = connectionPointers.get(i);
            if (connectionPointer.getPointer(0).equals(connection)) {
                lib.chdb_close_conn(connectionPointer);
                String[] argv = {"clickhouse", "--path=" + dataDir};
                Pointer fresh = lib.chdb_connect(argv.length, argv);
                if (fresh != null) {
                    connectionPointers.set(i, fresh);
                    idle.add(fresh.getPointer(0));
                } else {
                    connectionPointers.remove(i);
                }
                return;
            }
        }
    }

    private static String settingName(String name) {
        if (name.isEmpty() || !name.chars().allMatch(c -> c == '_' || Character.isLetterOrDigit(c) && c < 0x80)) {
            throw new EngineException(115, "Code: 115. DB::Exception: Unknown setting '" + name + "'. (UNKNOWN_SETTING)");
        }
        return name;
    }

    static String quoteString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String quoteIdentifier(String name) {
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    private Pointer borrow() {
        if (closed) {
            throw new IllegalStateException("the ClickHouse engine is closed");
        }
        try {
            Pointer connection = idle.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (connection == null) {
                throw new EngineException(202, "Code: 202. DB::Exception: all " + connectionPointers.size()
                        + " engine connections stayed busy for " + BORROW_TIMEOUT_SECONDS + " s. (TOO_MANY_SIMULTANEOUS_QUERIES)");
            }
            return connection;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(394, "Code: 394. DB::Exception: interrupted while waiting for the engine. "
                    + "(QUERY_WAS_CANCELLED)");
        }
    }

    private QueryResult consume(Pointer result) {
        if (result == null) {
            throw new EngineException(1001, "Code: 1001. DB::Exception: the engine returned no result");
        }
        try {
            throwIfError(result);
            return new QueryResult(copy(result), lib.chdb_result_rows_read(result), lib.chdb_result_bytes_read(result),
                    lib.chdb_result_elapsed(result));
        } finally {
            lib.chdb_destroy_query_result(result);
        }
    }

    private void throwIfError(Pointer result) {
        String error = lib.chdb_result_error(result);
        if (error != null && !error.isEmpty()) {
            throw EngineException.fromEngineText(error);
        }
    }

    private byte[] copy(Pointer result) {
        long length = lib.chdb_result_length(result);
        if (length == 0) {
            return new byte[0];
        }
        return lib.chdb_result_buffer(result).getByteArray(0, Math.toIntExact(length));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Pointer connectionPointer : connectionPointers) {
            lib.chdb_close_conn(connectionPointer);
        }
        connectionPointers.clear();
        if (controlHandle != null) {
            lib.chdb_close_conn(controlHandle);
            controlHandle = null;
            control = null;
        }
    }
}
