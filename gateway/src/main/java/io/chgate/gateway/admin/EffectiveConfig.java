package io.chgate.gateway.admin;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chgate.gateway.config.DataSize;
import io.chgate.gateway.config.GatewayConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration in force, as {@code GET /config} shows it: every key under its YAML name, every value that is or
 * leads to a secret masked (tokens, passwords, password hashes, secret ids). File paths stay: they name where a
 * secret is, not what it is.
 */
final class EffectiveConfig {
    private static final String MASK = "***";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule("chgate-config-out")
                    .addSerializer(Duration.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeString(d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms");
                        }
                    })
                    .addSerializer(DataSize.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(DataSize s, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeString(s.toString());
                        }
                    }));

    private EffectiveConfig() {
    }

    static String json(GatewayConfig config) {
        JsonNode tree = JSON.valueToTree(config);
        mask(tree);
        try {
            return JSON.writeValueAsString(tree) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (secret(field.getKey()) && field.getValue().isTextual() && !field.getValue().asText().isEmpty()) {
                    field.setValue(object.textNode(MASK));
                } else {
                    mask(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(EffectiveConfig::mask);
        }
    }

    private static boolean secret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return !k.endsWith("_file") && (k.contains("token") || k.contains("password") || k.contains("secret")
                || k.equals("role_id"));
    }
}
