package io.chgate.gateway.ownership;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which gateway user created each database and object, kept in a JSON file beside the engine's data so it lasts as
 * long as the objects do. An object's owner is its own record, else its database's; no record means the object was
 * made outside chgate (by its operator) and is shared.
 *
 * <p>Keys are {@code database} for databases and {@code database.name} for objects, exactly as ClickHouse names them
 * (case-sensitive). Every change is written through at once (objects are created rarely, read constantly).
 */
public final class ObjectOwners {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, String> databases;
    private final Map<String, String> objects;

    private ObjectOwners(Path file, Map<String, String> databases, Map<String, String> objects) {
        this.file = file;
        this.databases = databases;
        this.objects = objects;
    }

    /** The owners kept in {@code file}, or none yet when it does not exist. */
    public static ObjectOwners open(Path file) {
        if (!Files.exists(file)) {
            return new ObjectOwners(file, new TreeMap<>(), new TreeMap<>());
        }
        try {
            Map<String, Map<String, String>> stored = JSON.readValue(file.toFile(), new TypeReference<>() { });
            return new ObjectOwners(file, new TreeMap<>(stored.getOrDefault("databases", Map.of())),
                    new TreeMap<>(stored.getOrDefault("objects", Map.of())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the object owners in " + file, e);
        }
    }

    /** The gateway user who owns the object, or null when it is shared. */
    public synchronized String ownerOf(String database, String name) {
        String owner = objects.get(key(database, name));
        return owner != null ? owner : databases.get(database);
    }

    public synchronized String ownerOfDatabase(String database) {
        return databases.get(database);
    }

    synchronized void recordObject(String database, String name, String owner) {
        if (!owner.equals(objects.put(key(database, name), owner))) {
            save();
        }
    }

    synchronized void forgetObject(String database, String name) {
        if (objects.remove(key(database, name)) != null) {
            save();
        }
    }

    synchronized void recordDatabase(String database, String owner) {
        if (!owner.equals(databases.put(database, owner))) {
            save();
        }
    }

    synchronized void forgetDatabase(String database) {
        boolean changed = databases.remove(database) != null;
        changed |= objects.keySet().removeIf(k -> k.startsWith(database + "."));
        if (changed) {
            save();
        }
    }

    private static String key(String database, String name) {
        return database + "." + name;
    }

    private void save() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(),
                    Map.of("databases", databases, "objects", objects));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the object owners to " + file, e);
        }
    }
}
