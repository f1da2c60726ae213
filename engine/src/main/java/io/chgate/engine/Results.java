package io.chgate.engine;

import com.sun.jna.Pointer;

/** Reading the engine's {@code chdb_result}: its error, its bytes, its counters. */
final class Results {
    private Results() {
    }

    /** The result's bytes and counters, then frees it; its error, if any, as an {@link EngineException}. */
    static QueryResult consume(ChdbLibrary lib, Pointer result) {
        if (result == null) {
            throw new EngineException(1001, "Code: 1001. DB::Exception: the engine returned no result");
        }
        try {
            throwIfError(lib, result);
            return new QueryResult(copy(lib, result), lib.chdb_result_rows_read(result),
                    lib.chdb_result_bytes_read(result), lib.chdb_result_elapsed(result));
        } finally {
            lib.chdb_destroy_query_result(result);
        }
    }

    /** The engine's error text, or null when it has none. */
    static String error(ChdbLibrary lib, Pointer result) {
        String error = lib.chdb_result_error(result);
        return error == null || error.isEmpty() ? null : error;
    }

    static void throwIfError(ChdbLibrary lib, Pointer result) {
        String error = error(lib, result);
        if (error != null) {
            throw EngineException.fromEngineText(error);
        }
    }

    static byte[] copy(ChdbLibrary lib, Pointer result) {
        long length = lib.chdb_result_length(result);
        if (length == 0) {
            return new byte[0];
        }
        return lib.chdb_result_buffer(result).getByteArray(0, Math.toIntExact(length));
    }
}
