package io.chgate.gateway.cli;

import io.chgate.gateway.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that reads a configuration shares. */
final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML configuration file (optional).")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address to listen on (key: listen).")
    String listen;

    @Option(names = "--upstream", paramLabel = "URL",
            description = "ClickHouse HTTP interface to forward to, e.g. http://127.0.0.1:8123 (key: upstream.url).")
    String upstream;

    @Option(names = "--embedded", description = "Use the ClickHouse 26 engine inside chgate's own process as the upstream"
            + " (key: upstream.url = embedded).")
    boolean embedded;

    ConfigLoader.Loaded load() {
        return new ConfigLoader(System.getenv())
                .file(config)
                .flag("listen", listen, "--listen")
                .flag("upstream.url", embedded ? "embedded" : upstream, embedded ? "--embedded" : "--upstream")
                .load();
    }
}
