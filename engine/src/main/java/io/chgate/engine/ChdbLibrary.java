package io.chgate.engine;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The C API of libchdb.so (ClickHouse 26 as a library), as declared in chdb's {@code chdb.h}. Handles are opaque
 * pointers; {@code size_t} is 64-bit on the platforms this runs on, so it maps to {@code long}.
 */
interface ChdbLibrary extends Library {

    /** Must run before the first connection: the JVM relies on its own SIGSEGV/SIGBUS handling (null checks). */
    void chdb_set_signal_handlers_enabled(boolean enabled);

    /** Returns {@code chdb_connection *}: a pointer to the connection handle, or null. */
    Pointer chdb_connect(int argc, String[] argv);

    void chdb_close_conn(Pointer connectionPointer);

    Pointer chdb_query_n(Pointer connection, byte[] query, long queryLength, byte[] format, long formatLength);

    Pointer chdb_query_with_params(Pointer connection, String query, String format, String[] names, String[] values,
            long count);

    Pointer chdb_stream_query_n(Pointer connection, byte[] query, long queryLength, byte[] format, long formatLength);

    Pointer chdb_stream_query_with_params(Pointer connection, String query, String format, String[] names,
            String[] values, long count);

    Pointer chdb_stream_fetch_result(Pointer connection, Pointer result);

    void chdb_stream_cancel_query(Pointer connection, Pointer result);

    void chdb_destroy_query_result(Pointer result);

    Pointer chdb_result_buffer(Pointer result);

    long chdb_result_length(Pointer result);

    double chdb_result_elapsed(Pointer result);

    long chdb_result_rows_read(Pointer result);

    long chdb_result_bytes_read(Pointer result);

    /** Null when the query succeeded. */
    String chdb_result_error(Pointer result);

    /**
     * Opens a streaming INSERT ({@code chdb_insert_stream}): {@code query} is the INSERT without its input clause,
     * {@code format} the input format; the data then arrives through {@link #chdb_stream_append} and is never parsed
     * as SQL.
     */
    Pointer chdb_stream_insert_n(Pointer connection, byte[] query, long queryLength, byte[] format, long formatLength);

    /** Returns 0 (CHDBSuccess) when the bytes were taken. */
    int chdb_stream_append(Pointer stream, byte[] data, long length);

    /** Ends the insert; returns a {@code chdb_result *} carrying its error, if any, and the rows written. */
    Pointer chdb_stream_done(Pointer stream);

    /** Null while the stream is healthy. */
    String chdb_stream_insert_error(Pointer stream);

    void chdb_stream_cancel_insert(Pointer stream);

    void chdb_destroy_insert_stream(Pointer stream);

    long chdb_result_rows_written(Pointer result);
}
