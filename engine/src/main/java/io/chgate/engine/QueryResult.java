package io.chgate.engine;

import java.nio.charset.StandardCharsets;

/** A query's whole output and its counters. */
public record QueryResult(byte[] data, long rowsRead, long bytesRead, double elapsedSeconds) {

    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
