package io.chgate.sql;

import java.util.Locale;

/** What the response cache makes of a name the engines report in {@code system.functions} and its neighbours. */
public enum FunctionClass {
    /** A function whose answer is the same for the same arguments and cache key: a statement may be cached. */
    DETERMINISTIC,
    /** Time, randomness, the server's own state, block splitting: a statement calling it is never cached. */
    NONDETERMINISTIC,
    /** An aggregate function combinator ({@code If}, {@code State}, ...): a suffix, classed as its base. */
    COMBINATOR,
    /** A data type family ({@code Nullable(String)}): a name before a parenthesis that is no call. */
    TYPE,
    /** A table function or engine whose rows the cache may keep: generated, stored, or external bounded by ttl. */
    TABLE_CACHEABLE,
    /** A table function or engine reading live or random rows (files, object stores, other servers, generators). */
    TABLE_LIVE;

    /** The word the registry file uses. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static FunctionClass ofTag(String tag) {
        return valueOf(tag.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Whether a statement using it may be cached. */
    public boolean cacheable() {
        return this != NONDETERMINISTIC && this != TABLE_LIVE;
    }
}
