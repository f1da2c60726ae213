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

    /**
     * Whether the Kafka engine reads a SASL login from a SQL named collection: the {@code kafka_sasl_*} settings
     * arrived in 25.4; before, only the server's XML {@code <kafka>} section can carry one.
     */
    public boolean kafkaSaslInCollections() {
        String[] parts = version.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 25 || major == 25 && minor >= 4;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The message for a server that cannot hold managed credentials. */
    public String whyNot() {
        return "ClickHouse " + version + " has no named collections (ClickHouse 22.12 or newer is needed for managed"
                + " credentials); upgrade it, or run chgate with upstream: embedded";
    }
}
