package io.chgate.sql;

import io.chgate.engine.EmbeddedClickHouse;
import io.chgate.testkit.LocalStack;
import java.nio.file.Path;

/** The real ClickHouse 26 engine the rewriter's tests ask for ClickHouse's own reading: one per test JVM. */
final class OracleEngine {
    private OracleEngine() {
    }

    static EmbeddedClickHouse get() {
        return EmbeddedClickHouse.shared(LocalStack.get().chdbLibrary(),
                Path.of(System.getProperty("java.io.tmpdir"), "chgate-oracle-" + ProcessHandle.current().pid()), 2);
    }
}
