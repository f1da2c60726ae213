package io.chgate.sql;

import java.util.Locale;

/** What chgate does with a setting a client sends, or with a request parameter that is not a setting. */
public enum SettingClass {
    /** A client may set it to any value ClickHouse accepts. */
    PASS,
    /** A resource limit: a client may lower it, not raise it past a cap, nor set 0 (unlimited). */
    CAPPED,
    /** Fixed by the gateway: access, secrets, the SQL dialect, the engine's own resources. */
    PINNED,
    /** Not for gateway clients: test hooks, fault injection, settings that reach past the statement. */
    REFUSED,
    /** Its value is SQL or an expression that ClickHouse runs: refused, as chgate does not read it. */
    SQL,
    /** Its value names a file, a directory, a URL or a Keeper path: refused. */
    PATH,
    /** An HTTP request parameter that is not a setting ({@code query}, {@code database}, ...): the gateway's. */
    HTTP;

    /** The word the registry files use. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SettingClass ofTag(String tag) {
        return valueOf(tag.toUpperCase(Locale.ROOT));
    }
}
