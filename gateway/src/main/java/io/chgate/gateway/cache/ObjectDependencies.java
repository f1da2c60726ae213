package io.chgate.gateway.cache;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which objects are read through others: a view reads its tables, a materialized view's target is written by inserts
 * into its source, a Buffer or Alias table writes through to its destination. Learnt from the CREATE statements that
 * pass through chgate and from the upstream's own catalog (at start and every ttl), so a write to a table also drops
 * the answers that read it through a view. Kept both ways (a write to a Buffer table changes its destination too): a
 * write drops everything connected to what it wrote, which costs a miss at worst.
 */
final class ObjectDependencies {
    /** Per object, the objects derived from it and those it derives from. */
    private final ConcurrentHashMap<String, Set<String>> derivedFrom = new ConcurrentHashMap<>();

    void add(String derived, Set<String> sources) {
        for (String source : sources) {
            if (!source.equals(derived)) {
                derivedFrom.computeIfAbsent(source, s -> ConcurrentHashMap.newKeySet()).add(derived);
                derivedFrom.computeIfAbsent(derived, s -> ConcurrentHashMap.newKeySet()).add(source);
            }
        }
    }

    /** The objects and everything connected to them through derivations, transitively. */
    Set<String> withDerived(Set<String> objects) {
        if (derivedFrom.isEmpty()) {
            return objects;
        }
        Set<String> all = new LinkedHashSet<>(objects);
        Deque<String> todo = new ArrayDeque<>(objects);
        while (!todo.isEmpty()) {
            Set<String> derived = derivedFrom.get(todo.poll());
            if (derived != null) {
                for (String d : derived) {
                    if (all.add(d)) {
                        todo.add(d);
                    }
                }
            }
        }
        return all;
    }
}
