package io.chgate.engine;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/** A statement's output fetched chunk by chunk as the engine produces it, so a large result never sits whole. */
final class StreamedResult {
    private StreamedResult() {
    }

    /**
     * Streams the statement's output into {@code sink}; false, having handed over nothing, when the engine says the
     * statement has no streamed form ({@code noStreamedForm} in its error: DDL, INSERT), so it is run whole instead.
     */
    static boolean run(ChdbLibrary lib, Pointer connection, EmbeddedClickHouse.Request request,
            EmbeddedClickHouse.ChunkSink sink, String noStreamedForm) {
        Pointer stream = open(lib, connection, request);
        boolean delivered = false;
        try {
            if (refusedAsNotStreamable(lib, stream, noStreamedForm)) {
                return false;
            }
            while (true) {
                Pointer chunk = lib.chdb_stream_fetch_result(connection, stream);
                byte[] bytes;
                try {
                    if (!delivered && refusedAsNotStreamable(lib, chunk, noStreamedForm)) {
                        return false;
                    }
                    bytes = Results.copy(lib, chunk);
                } finally {
                    lib.chdb_destroy_query_result(chunk);
                }
                if (bytes.length == 0) {
                    return true;
                }
                delivered = true;
                if (!sink.accept(bytes)) {
                    lib.chdb_stream_cancel_query(connection, stream);
                    return true;
                }
            }
        } finally {
            lib.chdb_destroy_query_result(stream);
        }
    }

    private static Pointer open(ChdbLibrary lib, Pointer connection, EmbeddedClickHouse.Request request) {
        if (request.parameters().isEmpty()) {
            byte[] fmt = request.format().getBytes(StandardCharsets.UTF_8);
            return lib.chdb_stream_query_n(connection, request.query(), request.query().length, fmt, fmt.length);
        }
        String[] names = request.parameters().keySet().toArray(String[]::new);
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = request.parameters().get(names[i]);
        }
        return lib.chdb_stream_query_with_params(connection, request.sql(), request.format(), names, values,
                names.length);
    }

    /** True when the result's error is the engine's "no streamed form"; throws any other error. */
    private static boolean refusedAsNotStreamable(ChdbLibrary lib, Pointer result, String noStreamedForm) {
        String error = Results.error(lib, result);
        if (error == null) {
            return false;
        }
        EngineException e = EngineException.fromEngineText(error);
        if (e.code() == 36 && error.contains(noStreamedForm)) {
            return true;
        }
        throw e;
    }
}
