package io.chgate.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link GatewayConfig} from, in rising precedence: the defaults, a YAML file, environment variables
 * ({@code CHGATE_} + the key path in upper case with {@code _} for both dots and underscores, e.g.
 * {@code CHGATE_UPSTREAM_CONNECT_TIMEOUT}; the config's own shape decides which is which), and command-line flags.
 * It collects every problem it can find, each with where it came from, rather than stopping at the first.
 */
public final class ConfigLoader {
    public static final String ENV_PREFIX = "CHGATE_";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new SimpleModule("chgate-config")
                    .addDeserializer(Duration.class, new JsonDeserializer<>() {
                        @Override
                        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                            try {
                                return Durations.parse(p.getValueAsString());
                            } catch (IllegalArgumentException e) {
                                throw JsonMappingException.from(p, e.getMessage());
                            }
                        }
                    })
                    .addSerializer(Duration.class, new com.fasterxml.jackson.databind.JsonSerializer<>() {
                        @Override
                        public void serialize(Duration value, com.fasterxml.jackson.core.JsonGenerator gen,
                                com.fasterxml.jackson.databind.SerializerProvider serializers) throws IOException {
                            gen.writeString(Durations.format(value));
                        }
                    })
                    .addSerializer(DataSize.class, ToStringSerializer.instance))
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** The outcome: a usable configuration when {@link #problems()} is empty. */
    public record Loaded(GatewayConfig config, List<ConfigProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Map<String, String> environment;
    private final Map<String, String> flags = new LinkedHashMap<>();
    private Path file;

    public ConfigLoader(Map<String, String> environment) {
        this.environment = environment;
    }

    public ConfigLoader file(Path file) {
        this.file = file;
        return this;
    }

    /** A command-line override of one key, e.g. {@code ("upstream.url", "http://...", "--upstream")}. */
    public ConfigLoader flag(String dottedPath, String value, String flagName) {
        if (value != null) {
            flags.put(dottedPath, value + "\u0000" + flagName);
        }
        return this;
    }

    public Loaded load() {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, String> origins = new LinkedHashMap<>();
        String fileName = file == null ? "defaults" : file.toString();
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        YamlLocations locations = YamlLocations.index("");
        if (file != null) {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                problems.add(new ConfigProblem(fileName, "", "cannot read the file: " + e.getMessage()));
                return new Loaded(new GatewayConfig(), problems);
            }
            try {
                JsonNode parsed = YAML.readTree(text);
                if (parsed != null && !parsed.isMissingNode() && !parsed.isNull()) {
                    if (!parsed.isObject()) {
                        problems.add(new ConfigProblem(fileName, "", "the top level must be a mapping of keys"));
                        return new Loaded(new GatewayConfig(), problems);
                    }
                    tree = (ObjectNode) parsed;
                }
            } catch (JsonProcessingException e) {
                var at = e.getLocation();
                String where = at == null ? fileName : fileName + ":" + at.getLineNr() + ":" + at.getColumnNr();
                problems.add(new ConfigProblem(where, "", "not valid YAML: " + yamlReason(e.getOriginalMessage())));
                return new Loaded(new GatewayConfig(), problems);
            }
            locations = YamlLocations.index(text);
        }

        JsonNode schema = YAML.valueToTree(new GatewayConfig());
        final ObjectNode overridden = tree;
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                String path = EnvPaths.resolve(schema, name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT));
                if (path != null) {
                    set(overridden, path, value);
                    origins.put(path, "environment variable " + name);
                }
            }
        });
        flags.forEach((path, valueAndFlag) -> {
            int cut = valueAndFlag.indexOf('\u0000');
            set(overridden, path, valueAndFlag.substring(0, cut));
            origins.put(path, valueAndFlag.substring(cut + 1));
        });

        final YamlLocations where = locations;
        java.util.function.Function<String, String> originOf = path -> {
            for (String p = path; ; p = p.contains(".") ? p.substring(0, p.lastIndexOf('.')) : "") {
                if (origins.containsKey(p)) {
                    return origins.get(p);
                }
                if (p.isEmpty()) {
                    break;
                }
            }
            String lineCol = where.find(path);
            return lineCol == null ? fileName : fileName + ":" + lineCol;
        };

        GatewayConfig config = bind(tree, problems, originOf);
        if (!tree.has("listen") && config.listenTls.enabled()) {
            config.listen = "";   // listen_tls alone: HTTPS only, no plain listener nobody asked for
        }
        for (ConfigProblem p : ConfigValidator.validate(config)) {
            problems.add(new ConfigProblem(originOf.apply(p.path()), p.path(), p.message()));
        }
        return new Loaded(config, problems);
    }

    /** The problems of a configuration built in code (a file's are reported by {@link #load()}). */
    public static List<ConfigProblem> validate(GatewayConfig config) {
        return ConfigValidator.validate(config);
    }

    /**
     * Binds the tree, reporting unknown keys and bad values. A bad value is reported, removed so that its default
     * applies, and binding is retried, so that one run lists every bad value instead of only the first.
     */
    private static GatewayConfig bind(ObjectNode tree, List<ConfigProblem> problems,
            java.util.function.Function<String, String> originOf) {
        DeserializationProblemHandler unknownKeys = new DeserializationProblemHandler() {
            @Override
            public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                    JsonDeserializer<?> deserializer, Object bean, String name) throws IOException {
                String path = join(pathOf(p.getParsingContext().getParent()), name);
                problems.add(new ConfigProblem(originOf.apply(path), path, "unknown key"));
                p.skipChildren();
                return true;
            }
        };
        ObjectMapper mapper = YAML.copy().addHandler(unknownKeys);
        for (int attempt = 0; attempt < 1000; attempt++) {
            int before = problems.size();
            try {
                return mapper.treeToValue(tree, GatewayConfig.class);
            } catch (JsonMappingException e) {
                problems.subList(before, problems.size()).clear();
                String path = pathOf(e.getPath());
                // A value our own parsers rejected carries its explanation as the cause.
                String why = e.getCause() instanceof IllegalArgumentException cause ? cause.getMessage()
                        : e.getOriginalMessage();
                problems.add(new ConfigProblem(originOf.apply(path), path, "bad value: " + why));
                if (path.isEmpty() || !remove(tree, path)) {
                    return new GatewayConfig();
                }
            } catch (JsonProcessingException e) {
                problems.add(new ConfigProblem(originOf.apply(""), "", e.getOriginalMessage()));
                return new GatewayConfig();
            }
        }
        return new GatewayConfig();
    }

    /** SnakeYAML's messages quote the document with carets over several lines; keep only the sentences. */
    private static String yamlReason(String message) {
        StringBuilder reason = new StringBuilder();
        for (String line : message.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                reason.append(reason.length() == 0 ? "" : ": ").append(line.trim());
            }
        }
        return reason.toString();
    }

    private static String pathOf(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String pathOf(JsonStreamContext context) {
        List<String> names = new ArrayList<>();
        for (JsonStreamContext c = context; c != null; c = c.getParent()) {
            if (c.hasCurrentName()) {
                names.add(0, c.getCurrentName());
            }
        }
        return String.join(".", names);
    }

    private static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    private static void set(ObjectNode tree, String dottedPath, String value) {
        String[] parts = dottedPath.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
        }
        node.put(parts[parts.length - 1], value);
    }

    private static boolean remove(ObjectNode tree, String dottedPath) {
        String[] parts = dottedPath.split("\\.");
        JsonNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.get(parts[i]);
            if (node == null) {
                return false;
            }
        }
        return node instanceof ObjectNode o && o.remove(parts[parts.length - 1]) != null;
    }

    /** Maps {@code upstream_connect_timeout} onto {@code upstream.connect_timeout} by following the config's shape. */
    static final class EnvPaths {
        private EnvPaths() {
        }

        static String resolve(JsonNode schema, String rest) {
            for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                JsonNode child = schema.get(key);
                if (rest.equals(key) && !child.isObject()) {
                    return key;
                }
                if (child.isObject() && rest.startsWith(key + "_")) {
                    String sub = resolve(child, rest.substring(key.length() + 1));
                    if (sub != null) {
                        return key + "." + sub;
                    }
                }
            }
            return null;
        }
    }
}
