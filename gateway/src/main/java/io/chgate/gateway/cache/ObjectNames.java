package io.chgate.gateway.cache;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How the cache names the objects answers read and writes change. The SQL side gives {@code database.name} with the
 * request's database filled in; the cache keeps the name alone, because the database a request names is not always
 * the one ClickHouse uses (a login's own default database): a write to {@code x.t} then also drops answers that read a
 * {@code t} of another database, which costs a miss, never a wrong answer.
 */
public final class ObjectNames {
    /** A write that changes a whole database (DROP DATABASE): every answer goes. */
    static final String EVERYTHING = "*";

    private ObjectNames() {
    }

    public static Set<String> of(Set<String> qualified) {
        Set<String> names = new LinkedHashSet<>();
        for (String q : qualified) {
            names.add(of(q));
        }
        return names;
    }

    public static String of(String qualified) {
        if (qualified.endsWith(".*")) {
            return EVERYTHING;
        }
        int dot = qualified.indexOf('.');
        return dot < 0 ? qualified : qualified.substring(dot + 1);
    }
}
