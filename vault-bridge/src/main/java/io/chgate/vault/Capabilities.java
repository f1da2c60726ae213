package io.chgate.vault;

/**
 * What the ClickHouse behind chgate can do, detected once at start: named collections arrived in 22.12, and
 * chgate's managed credentials rest on them.
 */
public record Capabilities(String version, boolean namedCollections) {

    public static Capabilities detect(AdminChannel admin) {
        String version = admin.execute("SELECT version()").strip();
        boolean named;
        try {
            admin.execute("SELECT count() FROM system.named_collections");
            named = true;
        } catch (AdminException e) {
            named = false;
        }
        return new Capabilities(version, named);
    }

    /** The message for a server that cannot hold managed credentials. */
    public String whyNot() {
        return "ClickHouse " + version + " has no named collections (ClickHouse 22.12 or newer is needed for managed"
                + " credentials); upgrade it, or run chgate with upstream: embedded";
    }
}
