package io.chgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chgate.gateway.config.ConfigLoader;
import io.chgate.gateway.config.ConfigProblem;
import io.chgate.gateway.intercept.RewritingInterceptor;
import io.chgate.sql.Argument;
import io.chgate.sql.Reference;
import io.chgate.sql.Resolver;
import io.chgate.sql.RewriteRefusedException;
import io.chgate.sql.SqlParseException;
import io.chgate.sql.SqlRewriter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A dry run of what the gateway would forward: JSON Lines in, one JSON line out per statement. */
@Command(name = "rewrite", mixinStandardHelpOptions = true,
        description = {"Explain what chgate would forward for each statement.",
            "Reads JSON Lines {\"sql\": \"...\"} on stdin; writes {\"sql\", \"rewritten\", \"references\", \"error\"}"
                    + " per line, with secret arguments masked."})
final class RewriteCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigLoader.Loaded loaded = options.load();
        PrintWriter err = spec.commandLine().getErr();
        if (!loaded.ok()) {
            loaded.problems().stream().map(ConfigProblem::toString).forEach(err::println);
            err.flush();
            return 2;
        }
        Resolver resolver = RewritingInterceptor.resolver(loaded.config());
        PrintWriter out = spec.commandLine().getOut();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int failures = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            ObjectNode result = explain(line, resolver);
            failures += result.hasNonNull("error") ? 1 : 0;
            out.println(JSON.writeValueAsString(result));
        }
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    static ObjectNode explain(String line, Resolver resolver) {
        ObjectNode result = JSON.createObjectNode();
        String sql;
        try {
            JsonNode input = JSON.readTree(line);
            sql = input.path("sql").asText(null);
        } catch (Exception e) {
            result.putNull("sql");
            result.put("error", "not a JSON object with a \"sql\" string");
            return result;
        }
        if (sql == null) {
            result.putNull("sql");
            result.put("error", "not a JSON object with a \"sql\" string");
            return result;
        }
        String masked = SqlRewriter.maskSecrets(sql);
        result.put("sql", masked != null ? masked : "(unreadable statement not echoed: it may hold a secret)");
        try {
            SqlRewriter.Result rewrite = SqlRewriter.rewrite(sql, resolver);
            result.put("rewritten", rewrite.sql());
            result.set("references", references(rewrite));
            result.putNull("error");
        } catch (RewriteRefusedException e) {
            result.putNull("rewritten");
            result.put("error", e.getMessage());
        } catch (SqlParseException e) {
            result.putNull("rewritten");
            result.put("error", "cannot read the statement: " + e.getMessage());
        }
        return result;
    }

    private static ArrayNode references(SqlRewriter.Result rewrite) {
        ArrayNode list = JSON.createArrayNode();
        for (Reference ref : rewrite.references()) {
            ObjectNode node = list.addObject();
            node.put("kind", ref.kind().name().toLowerCase(Locale.ROOT));
            node.put("source", ref.source());
            node.putArray("span").add(ref.start()).add(ref.end());
            ObjectNode arguments = node.putObject("arguments");
            int position = 0;
            for (Argument arg : ref.arguments()) {
                String key = arg.name() != null ? arg.name() : "#" + position;
                arguments.put(key, arg.displayValue());
                position++;
            }
        }
        return list;
    }
}
