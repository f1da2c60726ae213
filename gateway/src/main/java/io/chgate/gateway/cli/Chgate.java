package io.chgate.gateway.cli;

import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chgate} command line. */
@Command(name = "chgate", mixinStandardHelpOptions = true, versionProvider = Chgate.Version.class,
        description = "A ClickHouse HTTP gateway that keeps external-source credentials out of SQL.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, RewriteCommand.class, EngineCommand.class,
            CommandLine.HelpCommand.class})
public final class Chgate {

    public static void main(String[] args) {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Sampling buffers for leaks costs about 2% of a small request's CPU (a stack trace every 128
            // allocations); the tests run with it on, and -Dio.netty.leakDetection.level=simple turns it back on.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(new CommandLine(new Chgate()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Chgate.class.getPackage().getImplementationVersion();
            return new String[] {"chgate " + (version == null ? "development build" : version)};
        }
    }
}
