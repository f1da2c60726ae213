package io.chgate.engine;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/** An INSERT whose data goes into the engine through {@code chdb_stream_append}, never joined to its SQL. */
final class InsertStream {
    private InsertStream() {
    }

    /** @return the rows written */
    static long run(ChdbLibrary lib, Pointer connection, byte[] query, String format,
            EmbeddedClickHouse.ChunkSource data) {
        byte[] fmt = format.getBytes(StandardCharsets.UTF_8);
        Pointer stream = lib.chdb_stream_insert_n(connection, query, query.length, fmt, fmt.length);
        if (stream == null) {
            throw new EngineException(1001, "Code: 1001. DB::Exception: the engine opened no insert stream");
        }
        try {
            throwIfError(lib, stream);
            for (byte[] chunk = data.next(); chunk != null; chunk = data.next()) {
                if (chunk.length > 0 && lib.chdb_stream_append(stream, chunk, chunk.length) != 0) {
                    throwIfError(lib, stream);
                    throw new EngineException(1001, "Code: 1001. DB::Exception: the engine refused insert data");
                }
            }
            Pointer result = lib.chdb_stream_done(stream);
            if (result == null) {
                throwIfError(lib, stream);
                return 0;
            }
            try {
                Results.throwIfError(lib, result);
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
    }

    private static void throwIfError(ChdbLibrary lib, Pointer stream) {
        String error = lib.chdb_stream_insert_error(stream);
        if (error != null && !error.isEmpty()) {
            throw EngineException.fromEngineText(error);
        }
    }
}
