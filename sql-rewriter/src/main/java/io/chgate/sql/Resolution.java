package io.chgate.sql;

import java.util.List;

/** A {@link Resolver}'s answer for one reference. */
public sealed interface Resolution {

    Resolution KEEP = new Keep();

    /** Leave the reference exactly as written. */
    record Keep() implements Resolution {
    }

    /**
     * Replace the reference with one to this named collection, keeping these arguments as overrides. Nothing of the
     * original arguments survives unless it is listed here: inline credentials are never copied.
     */
    record UseNamedCollection(String collection, List<Override> overrides) implements Resolution {
        public UseNamedCollection {
            overrides = List.copyOf(overrides);
        }
    }

    /**
     * Replace the reference's arguments with these, each already SQL text: the weaker delivery for servers without
     * named collections, where credentials travel inline in the forwarded query.
     */
    record InlineArguments(List<String> argumentsSql) implements Resolution {
        public InlineArguments {
            argumentsSql = List.copyOf(argumentsSql);
        }
    }

    /** Refuse the whole statement; {@code reason} is shown to the client and must not quote secrets. */
    record Refuse(String reason) implements Resolution {
    }

    /**
     * One {@code key = value} argument of the rewritten reference.
     *
     * @param valueSql the value as SQL text: a literal made with {@link SqlText#quoteString}, or an argument's
     *     original text
     */
    record Override(String key, String valueSql) {
        public static Override string(String key, String value) {
            return new Override(key, SqlText.quoteString(value));
        }
    }
}
