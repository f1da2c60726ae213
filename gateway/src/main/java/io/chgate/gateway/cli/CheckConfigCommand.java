package io.chgate.gateway.cli;

import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.ConfigProblem;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a configuration and print every problem with its location.")
final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ConfigLoader.Loaded loaded = options.load();
        PrintWriter out = spec.commandLine().getOut();
        if (loaded.ok()) {
            out.println("configuration OK" + (options.config == null ? " (defaults)" : ": " + options.config));
            out.flush();
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        for (ConfigProblem problem : loaded.problems()) {
            err.println(problem);
        }
        err.println(loaded.problems().size() + " problem(s)");
        err.flush();
        return 1;
    }
}
