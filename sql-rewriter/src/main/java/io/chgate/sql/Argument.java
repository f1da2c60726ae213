package io.chgate.sql;

import java.util.Locale;
import java.util.Set;

/**
 * One argument of a reference.
 *
 * @param key the key as written ({@code table} in {@code table = 'orders'}), or null for a positional argument
 * @param name the canonical name, lower case: the key, or the name the source's positional order gives, or null
 * @param start offset of the whole argument ({@code key = value} or the value alone)
 * @param valueStart offset of the value
 * @param end offset just past the value
 * @param kind what the value is
 * @param value the value: a string literal unescaped, a number or identifier as written, else the expression text
 * @param text the value exactly as written
 */
public record Argument(String key, String name, int start, int valueStart, int end, ValueKind kind, String value,
        String text) {

    public enum ValueKind { STRING, NUMBER, IDENTIFIER, EXPRESSION }

    /** Argument names whose values are secrets: masked in every output a person sees. */
    private static final Set<String> SECRET_NAMES = Set.of("password", "secret", "secret_access_key", "access_key_id",
            "aws_secret_access_key", "sasl_password", "kafka_sasl_password", "account_key", "connection_string",
            "session_token", "token", "key", "private_key", "headers");

    /**
     * Whether the value must be masked. Unnamed positional arguments ({@code argN}) of sources whose positional forms
     * are ambiguous (s3's keys, remote's password) are masked too: showing too little is the safe mistake.
     */
    public boolean isSecret() {
        return name != null && (SECRET_NAMES.contains(name) || name.endsWith("password") || name.endsWith("secret")
                || name.startsWith("arg"));
    }

    /** The value for showing to a person: secrets masked. */
    public String displayValue() {
        return isSecret() ? "******" : value;
    }

    static String canonical(String key) {
        return key == null ? null : key.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return (name == null ? "" : name + "=") + displayValue();   // never the secret itself
    }
}
