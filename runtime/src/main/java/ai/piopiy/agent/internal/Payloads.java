package ai.piopiy.agent.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** JSON handling of signaling payloads: reading Socket.IO arguments, decoding metadata, redacting secrets for logs. */
public final class Payloads {

    /** The key under which metadata that is not a JSON object (even after decoding) is passed on. */
    public static final String RAW_METADATA_KEY = "raw";

    static final String REDACTED = "****";

    // a producer that encodes metadata twice gives a string of a string; more levels than this are not metadata
    private static final int MAX_ENCODING_DEPTH = 3;

    private static final List<String> SECRET_KEY_PARTS =
            List.of("token", "secret", "password", "passwd", "apikey", "api_key", "api-key", "authorization", "credential");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Payloads() {}

    /**
     * Reads one Socket.IO event argument as JSON. socket.io-client hands over org.json values whose
     * {@code toString} is their JSON text; a string argument may itself hold a JSON document.
     */
    public static JsonNode read(Object argument) {
        if (argument == null) {
            return MAPPER.nullNode();
        }
        if (argument instanceof String text) {
            JsonNode parsed = parse(text);
            return parsed == null ? MAPPER.getNodeFactory().textNode(text) : parsed;
        }
        JsonNode parsed = parse(argument.toString());
        return parsed == null ? MAPPER.getNodeFactory().textNode(argument.toString()) : parsed;
    }

    /**
     * Decodes {@code join_room} metadata: an object, a JSON string, a JSON string encoded twice, with or
     * without {@code \}} escapes. What cannot be decoded to an object is kept as {@code {"raw": value}}.
     * Entries whose value is JSON null are left out (the map is immutable and null-free at its top level).
     */
    public static Map<String, Object> decodeMetadata(JsonNode metadata) {
        if (metadata == null || metadata.isMissingNode() || metadata.isNull()) {
            return Map.of();
        }
        if (metadata.isObject()) {
            return topLevel(metadata);
        }
        if (!metadata.isTextual()) {
            return Map.of(RAW_METADATA_KEY, toJava(metadata));
        }
        String raw = metadata.textValue();
        if (raw.isBlank()) {
            return Map.of();
        }
        String current = raw;
        for (int depth = 0; depth < MAX_ENCODING_DEPTH; depth++) {
            JsonNode parsed = parse(current);
            if (parsed == null && current.contains("\\}")) {
                parsed = parse(current.replace("\\}", "}"));
            }
            if (parsed == null) {
                break;
            }
            if (parsed.isObject()) {
                return topLevel(parsed);
            }
            if (!parsed.isTextual()) {
                break;
            }
            current = parsed.textValue();
        }
        return Map.of(RAW_METADATA_KEY, raw);
    }

    /**
     * The payload as JSON text fit for a log line: the room token and every value whose key looks like a
     * secret replaced by {@code ****}, and the metadata shown decoded (so secrets inside an encoded
     * metadata string are found too).
     */
    public static String redacted(JsonNode payload, Map<String, Object> decodedMetadata) {
        if (!payload.isObject()) {
            return "<not a JSON object>";
        }
        ObjectNode copy = payload.deepCopy();
        if (copy.has("metadata")) {
            copy.set("metadata", MAPPER.valueToTree(decodedMetadata));
        }
        redactSecrets(copy);
        return copy.toString();
    }

    static boolean looksSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String part : SECRET_KEY_PARTS) {
            if (lower.contains(part)) {
                return true;
            }
        }
        return false;
    }

    private static void redactSecrets(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (looksSecret(field.getKey()) && !field.getValue().isContainerNode() && !field.getValue().isNull()) {
                    field.setValue(object.textNode(REDACTED));
                } else {
                    redactSecrets(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(Payloads::redactSecrets);
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Map<String, Object> topLevel(JsonNode object) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            Object value = toJava(field.getValue());
            if (value != null) {
                map.put(field.getKey(), value);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** Plain Java values: nested maps keep their order and their nulls; numbers are Integer, Long, BigInteger, Double or BigDecimal. */
    private static Object toJava(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    map.put(field.getKey(), toJava(field.getValue()));
                }
                yield Collections.unmodifiableMap(map);
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(element -> list.add(toJava(element)));
                yield Collections.unmodifiableList(list);
            }
            case STRING -> node.textValue();
            case NUMBER -> node.numberValue();
            case BOOLEAN -> node.booleanValue();
            case BINARY, POJO -> node.toString();
            case NULL, MISSING -> null;
        };
    }
}
