package io.chgate.engine;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The ClickHouse 26 engine in this process (libchdb.so through JNA).
 *
 * <p>The engine keeps one storage path per process, so there is one instance per process ({@link #shared}); its
 * statements run on a {@link ConnectionPool}. Every native result is freed exactly once, in a {@code finally},
 * after its bytes are copied out.
 */
public final class EmbeddedClickHouse implements AutoCloseable {
    /** What the engine says, before producing anything, of a statement it cannot stream (DDL, INSERT). */
    private static final String NO_STREAMED_FORM = "Streaming query is not supported";
    private static EmbeddedClickHouse shared;

    private final ChdbLibrary lib;
    private final Path dataDir;
    private final ConnectionPool pool;
    /** A connection only for KILL QUERY, so a cancel is never stuck behind the statements it stops. */
    private Pointer controlHandle;

    private final long maxMemoryBytes;

    private EmbeddedClickHouse(ChdbLibrary lib, Path dataDir, int connections, long maxMemoryBytes) {
        this.lib = lib;
        this.dataDir = dataDir;
        this.maxMemoryBytes = maxMemoryBytes;
        this.pool = new ConnectionPool(lib, dataDir, connections, maxMemoryBytes);
    }

    /**
     * The process's engine on this data directory, opened on first use with {@code connections} connections.
     *
     * @throws IllegalStateException when the engine is already open on another directory (one per process)
     */
    public static synchronized EmbeddedClickHouse shared(Path library, Path dataDir, int connections) {
        return shared(library, dataDir, connections, EngineMemory.defaultCeiling());
    }

    /**
     * The same with a memory ceiling for the whole engine ({@code max_server_memory_usage}, bytes); the first open
     * of the process sets it.
     */
    public static synchronized EmbeddedClickHouse shared(Path library, Path dataDir, int connections,
            long maxMemoryBytes) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (shared != null && !shared.pool.closed()) {
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
        shared = new EmbeddedClickHouse(EngineLibrary.load(library), dir, Math.max(1, connections),
                maxMemoryBytes > 0 ? maxMemoryBytes : EngineMemory.defaultCeiling());
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "chdb-close"));
        return shared;
    }

    /**
     * Where libchdb.so is: {@code explicit} if given, else $CHDB_LIB, else the stack's stack.env, else the path
     * {@code dev/stack} installs it to.
     */
    public static Path findLibrary(Path explicit) {
        return EngineLibrary.find(explicit);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The engine's memory ceiling in bytes. */
    public long maxMemoryBytes() {
        return maxMemoryBytes;
    }

    /** Runs a statement and returns its whole output in {@code format}. */
    public QueryResult query(String sql, String format) {
        Pointer connection = pool.borrow();
        try {
            return whole(connection, Request.of(sql, format));
        } finally {
            pool.giveBack(connection, true);
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
        Pointer connection = pool.borrow();
        try {
            String text = whole(connection, new Request("SELECT formatQuery({q:String})".getBytes(StandardCharsets.UTF_8),
                    "TSVRaw", null, Map.of(), Map.of("q", EngineSql.tsvEscaped(sql)))).text();
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } finally {
            pool.giveBack(connection, true);
        }
    }

    /** Receives a streamed result chunk by chunk; returning false stops the query. */
    @FunctionalInterface
    public interface ChunkSink {
        boolean accept(byte[] chunk);
    }

    /** The data of a streaming INSERT, handed over in pieces; null when there is no more. */
    public interface ChunkSource {
        byte[] next();
    }

    /**
     * One statement as ClickHouse's HTTP interface describes it, and how it runs.
     *
     * @param query the exact bytes (an INSERT's inline data may be binary)
     * @param database the current database for this statement alone, or null
     * @param settings query-level settings for this statement alone
     * @param parameters {@code {name:Type}} parameters
     * @param streamed whether the output is handed over as the engine produces it; false makes it one whole output,
     *     right for formats whose outputs do not concatenate (the engine's chunks each carry a header and footer)
     * @param cancellation how another thread stops it, or null
     * @param session the session whose connection it runs on (what it sets stays there), or null for the pool
     */
    public record Request(byte[] query, String format, String database, Map<String, String> settings,
            Map<String, String> parameters, boolean streamed, Cancellation cancellation, Session session) {

        public Request(byte[] query, String format, String database, Map<String, String> settings,
                Map<String, String> parameters) {
            this(query, format, database, settings, parameters, true, null, null);
        }

        public static Request of(String sql, String format) {
            return new Request(sql.getBytes(StandardCharsets.UTF_8), format, null, Map.of(), Map.of());
        }

        public Request streamed(boolean streamed) {
            return new Request(query, format, database, settings, parameters, streamed, cancellation, session);
        }

        public Request cancelledBy(Cancellation cancellation) {
            return new Request(query, format, database, settings, parameters, streamed, cancellation, session);
        }

        public Request in(Session session) {
            return new Request(query, format, database, settings, parameters, streamed, cancellation, session);
        }

        String sql() {
            return new String(query, StandardCharsets.UTF_8);
        }
    }

    /**
     * Runs a statement, handing its output to {@code sink}. Database and settings apply to this statement alone and
     * are reset after it, on a pooled connection and a session's alike; what the statement itself sets ({@code SET},
     * {@code USE}, temporary tables) stays for a session's next statement, as on ClickHouse's server.
     */
    public void execute(Request given, ChunkSink sink) {
        Request request = given.cancellation() == null ? given : given.cancellation().marked(given);
        Pointer connection = request.session() == null ? pool.borrow() : request.session().connection;
        try {
            applyScope(connection, request);
            if (!request.streamed() || !StreamedResult.run(lib, connection, request, sink, NO_STREAMED_FORM)) {
                QueryResult whole = whole(connection, request);
                if (whole.data().length > 0) {
                    sink.accept(whole.data());
                }
            }
        } finally {
            giveBack(connection, request.session(), resetScope(connection, request));
        }
    }

    /**
     * Runs {@code INSERT ... } with its data streamed into the engine as data, in {@code format}: never joined to
     * the statement's text, so no byte of it can run as SQL. Database, settings and session apply as for
     * {@link #execute}.
     *
     * @param request the INSERT without its {@code FORMAT name} or {@code VALUES} clause
     * @return the rows written
     */
    public long insert(Request request, String format, ChunkSource data) {
        if (!request.parameters().isEmpty()) {
            throw new EngineException(48, "Code: 48. DB::Exception: query parameters in an INSERT with inline data are"
                    + " not supported by the embedded engine. (NOT_IMPLEMENTED)");
        }
        Pointer connection = request.session() == null ? pool.borrow() : request.session().connection;
        try {
            applyScope(connection, request);
            return InsertStream.run(lib, connection, request.query(), format, data);
        } finally {
            giveBack(connection, request.session(), resetScope(connection, request));
        }
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
            return new Request(query, request.format(), request.database(), request.settings(), request.parameters(),
                    request.streamed(), request.cancellation(), request.session());
        }
    }

    public Cancellation cancellation() {
        return new Cancellation();
    }

    private synchronized void kill(String marker) {
        if (pool.closed()) {
            return;
        }
        if (controlHandle == null) {
            controlHandle = pool.open();
            if (controlHandle == null) {
                return;
            }
        }
        try {
            run(controlHandle.getPointer(0), "KILL QUERY WHERE startsWith(query, " + EngineSql.quoteString(marker)
                    + ") ASYNC");
        } catch (EngineException e) {
            // nothing to kill, or the engine refused: the statement ends on its own
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
                if (!pool.closed()) {
                    lib.chdb_close_conn(handle);
                }
            }
        }
    }

    public synchronized Session openSession() {
        if (pool.closed()) {
            throw new IllegalStateException("the ClickHouse engine is closed");
        }
        Pointer handle = pool.open();
        if (handle == null) {
            throw new EngineException(1001, "Code: 1001. DB::Exception: the engine opened no connection for a session");
        }
        return new Session(handle);
    }

    /** A pooled connection goes back to the pool (or is replaced when it could not be reset); a session keeps its own. */
    private void giveBack(Pointer connection, Session session, boolean clean) {
        if (session == null) {
            pool.giveBack(connection, clean);
        } else if (!clean) {
            session.broken = true;
        }
    }

    private void applyScope(Pointer connection, Request request) {
        if (request.database() != null) {
            run(connection, "USE " + EngineSql.quoteIdentifier(request.database()));
        }
        for (Map.Entry<String, String> setting : request.settings().entrySet()) {
            run(connection, "SET " + EngineSql.settingName(setting.getKey()) + " = "
                    + EngineSql.quoteString(setting.getValue()));
        }
    }

    /** Undoes {@link #applyScope}; false when the connection could not be reset and must not be reused. */
    private boolean resetScope(Pointer connection, Request request) {
        try {
            if (request.database() != null) {
                run(connection, "USE " + EngineSql.quoteIdentifier(request.session() == null ? "default"
                        : request.session().database));
            }
            for (String name : request.settings().keySet()) {
                run(connection, "SET " + EngineSql.settingName(name) + " = DEFAULT");
            }
            return true;
        } catch (EngineException e) {
            return false;
        }
    }

    /** The statement's whole output in one result. */
    private QueryResult whole(Pointer connection, Request request) {
        if (request.parameters().isEmpty()) {
            byte[] fmt = request.format().getBytes(StandardCharsets.UTF_8);
            return Results.consume(lib, lib.chdb_query_n(connection, request.query(), request.query().length, fmt,
                    fmt.length));
        }
        return Results.consume(lib, lib.chdb_query_with_params(connection, request.sql(), request.format(),
                request.parameters().keySet().toArray(String[]::new),
                request.parameters().values().toArray(String[]::new), request.parameters().size()));
    }

    private void run(Pointer connection, String sql) {
        whole(connection, Request.of(sql, "TSV"));
    }

    @Override
    public synchronized void close() {
        if (pool.closed()) {
            return;
        }
        pool.close();
        if (controlHandle != null) {
            lib.chdb_close_conn(controlHandle);
            controlHandle = null;
        }
    }
}
