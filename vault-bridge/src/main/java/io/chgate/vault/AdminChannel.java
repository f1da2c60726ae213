package io.chgate.vault;

/**
 * How chgate runs its own DDL in ClickHouse (named collections, integration databases), as its admin user: over
 * HTTP to a ClickHouse server, or in the in-process engine.
 */
public interface AdminChannel {

    /** Runs one statement; returns its TSV output. Throws {@link AdminException} with ClickHouse's error. */
    String execute(String sql);
}
