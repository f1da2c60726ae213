package io.chgate.gateway.config;

/**
 * One thing wrong with a configuration.
 *
 * @param origin where the offending value came from: {@code file.yaml:12:3}, {@code environment variable CHGATE_X},
 *     {@code --listen}, or {@code file.yaml} when no finer location is known
 * @param path the key, dotted ({@code upstream.url})
 */
public record ConfigProblem(String origin, String path, String message) {
    @Override
    public String toString() {
        return path.isEmpty() ? origin + ": " + message : origin + ": " + path + ": " + message;
    }
}
