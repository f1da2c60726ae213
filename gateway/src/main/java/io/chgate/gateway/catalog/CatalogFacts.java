package io.chgate.gateway.catalog;

import io.chgate.gateway.cache.ObjectNames;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What all of the upstream's definitions tell the response cache together, in the shape
 * {@link io.chgate.gateway.cache.ResponseCaches#created} takes.
 *
 * <p>A view (or Buffer, or Alias) that reads an unkeepable object is unkeepable too, however deterministic its own
 * SELECT: a read of it runs what it reads. An unkeepable object's derivations are left out, as the cache would make a
 * name it derives keepable again before marking it; the cache keeps names without their database, so a view of that
 * name in another database is left out too (its reads are never kept, so what it reads does not matter).
 *
 * @param derivations each derived object ({@code database.name}) to the objects it reads
 * @param unkeepable objects whose reads are never kept
 */
record CatalogFacts(Map<String, Set<String>> derivations, Set<String> unkeepable) {

    static CatalogFacts of(Collection<DefinedObject> objects) {
        Set<String> unkeepable = new LinkedHashSet<>();
        Map<String, Set<String>> derivations = new LinkedHashMap<>();
        Map<String, Set<String>> readThrough = new LinkedHashMap<>();
        for (DefinedObject object : objects) {
            unkeepable.addAll(object.unkeepable());
            object.derivations().forEach((derived, sources) -> {
                derivations.computeIfAbsent(derived, d -> new LinkedHashSet<>()).addAll(sources);
                if (!object.materialized()) {
                    readThrough.computeIfAbsent(derived, d -> new LinkedHashSet<>()).addAll(sources);
                }
            });
        }
        Set<String> blocked = ObjectNames.of(unkeepable);
        for (boolean grew = true; grew; ) {
            grew = false;
            for (Map.Entry<String, Set<String>> view : readThrough.entrySet()) {
                if (!blocked.contains(ObjectNames.of(view.getKey()))
                        && view.getValue().stream().map(ObjectNames::of).anyMatch(blocked::contains)) {
                    unkeepable.add(view.getKey());
                    blocked.add(ObjectNames.of(view.getKey()));
                    grew = true;
                }
            }
        }
        derivations.keySet().removeIf(derived -> blocked.contains(ObjectNames.of(derived)));
        return new CatalogFacts(derivations, unkeepable);
    }
}
