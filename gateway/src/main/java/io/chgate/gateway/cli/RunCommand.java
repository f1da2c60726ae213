package io.chgate.gateway.cli;

import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.ConfigProblem;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.gateway.proxy.GatewayServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Start the gateway.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigLoader.Loaded loaded = options.load();
        PrintWriter err = spec.commandLine().getErr();
        if (!loaded.ok()) {
            err.println("chgate: the configuration has " + loaded.problems().size() + " problem(s):");
            for (ConfigProblem problem : loaded.problems()) {
                err.println("  " + problem);
            }
            err.flush();
            return 2;
        }
        GatewayServer server = GatewayServer.start(loaded.config(), RewritingInterceptor.fromConfig(loaded.config(), 1));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "chgate-shutdown"));
        var address = server.address();
        err.println("chgate is up on " + address.getHostString() + ":" + address.getPort()
                + ", forwarding to " + loaded.config().upstream.url + ". Try:");
        err.println("  curl 'http://" + address.getHostString() + ":" + address.getPort()
                + "/?query=SELECT%20version()'");
        err.flush();
        server.awaitClose();
        return 0;
    }
}
