package io.chgate.gateway.integration;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The data service integrations the seed defines, as one table: which kinds exist where, and which modes each may
 * use. Config validation, query-time refusals and the README's table all read it, so they cannot drift apart
 * ({@code IntegrationLimitsTest} checks the README against {@link #markdownTable()}).
 */
public final class IntegrationLimits {

    public enum Kind { POSTGRESQL, MYSQL, KAFKA }

    public enum Location { EXTERNAL, IN_CLUSTER }

    public enum Mode { MANAGED_CREDENTIALS, MANAGED_DATABASE }

    /** One kind at one location: the modes it supports (none: the integration does not exist), and why. */
    public record Rule(Kind kind, Location location, Set<Mode> modes, String why) {
    }

    public static final List<Rule> TABLE = List.of(
            new Rule(Kind.POSTGRESQL, Location.EXTERNAL, EnumSet.of(Mode.MANAGED_CREDENTIALS, Mode.MANAGED_DATABASE),
                    "external PostgreSQL supports both managed credentials and managed databases"),
            new Rule(Kind.POSTGRESQL, Location.IN_CLUSTER, EnumSet.of(Mode.MANAGED_DATABASE),
                    "managed credentials are for external PostgreSQL and MySQL only"),
            new Rule(Kind.MYSQL, Location.EXTERNAL, EnumSet.of(Mode.MANAGED_CREDENTIALS),
                    "external MySQL supports managed credentials only"),
            new Rule(Kind.MYSQL, Location.IN_CLUSTER, EnumSet.noneOf(Mode.class),
                    "data service integrations exist for Kafka and PostgreSQL, in-cluster and external; MySQL is"
                            + " external only"),
            new Rule(Kind.KAFKA, Location.EXTERNAL, EnumSet.of(Mode.MANAGED_DATABASE),
                    "managed credentials are for external PostgreSQL and MySQL only"),
            new Rule(Kind.KAFKA, Location.IN_CLUSTER, EnumSet.of(Mode.MANAGED_DATABASE),
                    "managed credentials are for external PostgreSQL and MySQL only"));

    private IntegrationLimits() {
    }

    public static Rule rule(Kind kind, Location location) {
        return TABLE.stream().filter(r -> r.kind() == kind && r.location() == location).findFirst().orElseThrow();
    }

    /** Why these modes are not allowed for this kind at this location, or null when they are. */
    public static String violation(Kind kind, Location location, Set<Mode> modes) {
        Rule rule = rule(kind, location);
        if (rule.modes().isEmpty()) {
            return name(kind) + " integrations cannot be " + name(location) + ": " + rule.why();
        }
        if (modes.isEmpty()) {
            return "an integration needs at least one mode; " + name(location) + " " + name(kind) + " supports "
                    + names(rule.modes());
        }
        for (Mode mode : modes) {
            if (!rule.modes().contains(mode)) {
                return name(location) + " " + name(kind) + " does not support " + name(mode) + ": " + rule.why()
                        + " (use modes: [" + rule.modes().stream().map(IntegrationLimits::name)
                        .collect(Collectors.joining(", ")) + "])";
            }
        }
        return null;
    }

    /** The table as the README shows it. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| kind | location | managed credentials | managed database |\n");
        sb.append("|---|---|---|---|\n");
        for (Rule r : TABLE) {
            sb.append("| ").append(name(r.kind())).append(" | ").append(name(r.location())).append(" | ")
                    .append(r.modes().contains(Mode.MANAGED_CREDENTIALS) ? "yes" : "no").append(" | ")
                    .append(r.modes().contains(Mode.MANAGED_DATABASE) ? "yes" : "no").append(" |\n");
        }
        return sb.toString();
    }

    public static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String names(Set<Mode> modes) {
        return modes.stream().map(IntegrationLimits::name).collect(Collectors.joining(" and "));
    }

    public static Kind kind(String source) {
        return source == null ? null : switch (source) {
            case "postgresql" -> Kind.POSTGRESQL;
            case "mysql" -> Kind.MYSQL;
            case "kafka" -> Kind.KAFKA;
            default -> null;
        };
    }

    public static Location location(String location) {
        return location == null ? null : switch (location) {
            case "external" -> Location.EXTERNAL;
            case "in_cluster" -> Location.IN_CLUSTER;
            default -> null;
        };
    }

    public static Mode mode(String mode) {
        return mode == null ? null : switch (mode) {
            case "managed_credentials" -> Mode.MANAGED_CREDENTIALS;
            case "managed_database" -> Mode.MANAGED_DATABASE;
            default -> null;
        };
    }
}
