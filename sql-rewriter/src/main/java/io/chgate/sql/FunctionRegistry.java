package io.chgate.sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every function, aggregate combinator, data type family, table function and table engine ClickHouse 26.7 and 18.16
 * report, each classed for the response cache in {@code functions.tsv}, which {@code FunctionRegistryTest} writes from
 * both engines and the reviewed rules in {@code FunctionRules}; that test fails when an engine reports a name the
 * file does not hold. A name not listed is unknown, and a statement calling it is not cached: default deny.
 *
 * <p>Names are matched as ClickHouse matches them: exactly, or ignoring case for those it reports case-insensitive;
 * an aggregate function with combinator suffixes ({@code uniqMergeState}) is classed as its base ({@code uniq}).
 * Table functions and engines are matched ignoring case, taking the stricter class when two names differ only in
 * case: a spelling the engine does not accept fails there, and a failed statement is never cached.
 */
public final class FunctionRegistry {
    /** One row of the file. */
    public record Entry(String name, FunctionClass functionClass, boolean engine, boolean aggregate,
            boolean caseInsensitive, boolean bare) {
    }

    private static final List<Entry> ENTRIES = load();
    private static final Map<String, Entry> FUNCTIONS = new HashMap<>();
    private static final Map<String, Entry> FUNCTIONS_ANY_CASE = new HashMap<>();
    private static final Map<String, Entry> TYPES = new HashMap<>();
    private static final Map<String, Entry> TYPES_ANY_CASE = new HashMap<>();
    private static final Map<String, FunctionClass> TABLE_FUNCTIONS = new HashMap<>();
    private static final Map<String, FunctionClass> ENGINES = new HashMap<>();
    private static final Set<String> COMBINATORS = new HashSet<>();
    private static final Map<String, FunctionClass> BARE = new HashMap<>();

    static {
        for (Entry e : ENTRIES) {
            String lower = e.name().toLowerCase(Locale.ROOT);
            switch (e.functionClass()) {
                case COMBINATOR -> COMBINATORS.add(e.name());
                case TYPE -> index(e, TYPES, TYPES_ANY_CASE);
                case TABLE_CACHEABLE, TABLE_LIVE -> (e.engine() ? ENGINES : TABLE_FUNCTIONS).merge(lower,
                        e.functionClass(), FunctionRegistry::stricter);
                default -> {
                    index(e, FUNCTIONS, FUNCTIONS_ANY_CASE);
                    if (e.bare()) {
                        BARE.merge(lower, e.functionClass(), FunctionRegistry::stricter);
                    }
                }
            }
        }
    }

    private FunctionRegistry() {
    }

    /**
     * The class of a function called by {@code name}: an ordinary or aggregate function, or an aggregate function
     * with combinators; null when the engines know no such function.
     */
    public static FunctionClass function(String name) {
        Entry e = lookup(name, FUNCTIONS, FUNCTIONS_ANY_CASE);
        if (e != null) {
            return e.functionClass();
        }
        for (String combinator : COMBINATORS) {
            if (name.length() > combinator.length() && name.endsWith(combinator)) {
                String base = name.substring(0, name.length() - combinator.length());
                FunctionClass c = aggregate(base);
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    private static FunctionClass aggregate(String name) {
        Entry e = lookup(name, FUNCTIONS, FUNCTIONS_ANY_CASE);
        if (e != null) {
            return e.aggregate() ? e.functionClass() : null;
        }
        return function(name);   // several combinators: uniqMergeState
    }

    /** The class of a table function, or null when the engines know none so named. */
    public static FunctionClass tableFunction(String name) {
        return TABLE_FUNCTIONS.get(name.toLowerCase(Locale.ROOT));
    }

    /** The class of a table engine ({@code ENGINE = name}), or null when the engines know none so named. */
    public static FunctionClass engine(String name) {
        return ENGINES.get(name.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code name(} may be a data type ({@code Nullable(String)}, {@code Decimal(10, 2)}): no call. */
    public static boolean isType(String name) {
        return lookup(name, TYPES, TYPES_ANY_CASE) != null;
    }

    /**
     * The class of a function ClickHouse 26 calls when its name stands alone, with no parentheses
     * ({@code SELECT now}, {@code SELECT CURRENT_TIMESTAMP}) and no column of that name hides it; null for any
     * other word. Compared ignoring case.
     */
    public static FunctionClass bare(String word) {
        return BARE.get(word.toLowerCase(Locale.ROOT));
    }

    /** Every row of the file. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    private static Entry lookup(String name, Map<String, Entry> exact, Map<String, Entry> anyCase) {
        Entry e = exact.get(name);
        return e != null ? e : anyCase.get(name.toLowerCase(Locale.ROOT));
    }

    private static void index(Entry e, Map<String, Entry> exact, Map<String, Entry> anyCase) {
        exact.put(e.name(), e);
        if (e.caseInsensitive()) {
            anyCase.merge(e.name().toLowerCase(Locale.ROOT), e,
                    (a, b) -> stricter(a.functionClass(), b.functionClass()) == a.functionClass() ? a : b);
        }
    }

    private static FunctionClass stricter(FunctionClass a, FunctionClass b) {
        return a.cacheable() ? b : a;
    }

    private static List<Entry> load() {
        List<Entry> entries = new java.util.ArrayList<>();
        try (InputStream in = FunctionRegistry.class.getResourceAsStream("functions.tsv")) {
            if (in == null) {
                throw new IllegalStateException("the function registry functions.tsv is missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                Set<String> flags = Set.of(cols[2].split(","));
                entries.add(new Entry(cols[0], FunctionClass.ofTag(cols[1]), flags.contains("engine"),
                        flags.contains("aggregate"),
                        flags.contains("case-insensitive"), flags.contains("bare")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableList(entries);
    }
}
