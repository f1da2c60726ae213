package io.chgate.engine;

import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The engine's connections to one data directory. A connection runs one statement at a time, but several may be
 * open at once: statements borrow one of a fixed set, callers beyond it wait (bounded by
 * {@link #BORROW_TIMEOUT_SECONDS}) rather than share one. Sessions and cancellations open their own.
 */
final class ConnectionPool {
    static final long BORROW_TIMEOUT_SECONDS = 300;

    private final ChdbLibrary lib;
    private final Path dataDir;
    private final long maxMemoryBytes;
    /** The {@code chdb_connection *} handles of the pooled connections. */
    private final List<Pointer> handles = new ArrayList<>();
    private final BlockingQueue<Pointer> idle;
    private volatile boolean closed;

    ConnectionPool(ChdbLibrary lib, Path dataDir, int size, long maxMemoryBytes) {
        this.lib = lib;
        this.dataDir = dataDir;
        this.maxMemoryBytes = maxMemoryBytes;
        this.idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            Pointer handle = open();
            if (handle == null) {
                close();
                throw new EngineException(1001, "Code: 1001. DB::Exception: the ClickHouse engine could not open "
                        + dataDir);
            }
            handles.add(handle);
            idle.add(handle.getPointer(0));
        }
    }

    /** A connection outside the pool: its handle (close it with {@code chdb_close_conn}), or null. */
    Pointer open() {
        // The first connection of the process sets the engine's global context, the ceiling with it.
        String[] argv = {"clickhouse", "--path=" + dataDir, "--max_server_memory_usage=" + maxMemoryBytes};
        return lib.chdb_connect(argv.length, argv);
    }

    boolean closed() {
        return closed;
    }

    int size() {
        return handles.size();
    }

    Pointer borrow() {
        if (closed) {
            throw new IllegalStateException("the ClickHouse engine is closed");
        }
        try {
            Pointer connection = idle.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (connection == null) {
                throw new EngineException(202, "Code: 202. DB::Exception: all " + handles.size() + " engine"
                        + " connections stayed busy for " + BORROW_TIMEOUT_SECONDS + " s. (TOO_MANY_SIMULTANEOUS_QUERIES)");
            }
            return connection;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(394, "Code: 394. DB::Exception: interrupted while waiting for the engine. "
                    + "(QUERY_WAS_CANCELLED)");
        }
    }

    /** Back to the pool; a connection left in an unknown state ({@code clean} false) is replaced by a fresh one. */
    void giveBack(Pointer connection, boolean clean) {
        if (clean) {
            idle.add(connection);
        } else {
            replace(connection);
        }
    }

    private synchronized void replace(Pointer connection) {
        for (int i = 0; i < handles.size(); i++) {
            Pointer handle = handles.get(i);
            if (handle.getPointer(0).equals(connection)) {
                lib.chdb_close_conn(handle);
                Pointer fresh = open();
                if (fresh != null) {
                    handles.set(i, fresh);
                    idle.add(fresh.getPointer(0));
                } else {
                    handles.remove(i);
                }
                return;
            }
        }
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Pointer handle : handles) {
            lib.chdb_close_conn(handle);
        }
        handles.clear();
    }
}
