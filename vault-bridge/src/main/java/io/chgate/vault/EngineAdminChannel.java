package io.chgate.vault;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.engine.EngineException;

/** The admin channel into the in-process ClickHouse 26 engine. */
public final class EngineAdminChannel implements AdminChannel {
    private final EmbeddedClickHouse engine;

    public EngineAdminChannel(EmbeddedClickHouse engine) {
        this.engine = engine;
    }

    @Override
    public String execute(String sql) {
        try {
            return engine.queryText(sql, "TSV");
        } catch (EngineException e) {
            throw new AdminException(e.code(), e.getMessage());
        }
    }
}
