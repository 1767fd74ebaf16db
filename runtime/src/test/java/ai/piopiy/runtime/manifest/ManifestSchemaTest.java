package ai.piopiy.runtime.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/manifest.schema.json and the parser must agree on every object's fields: for each object the
 * parser is given an unknown field, and the fields its error lists are compared with the schema's.
 */
class ManifestSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theSchemaListsExactlyTheFieldsTheParserAccepts() throws IOException {
        JsonNode schema = MAPPER.readTree(Path.of("..", "docs", "manifest.schema.json").toFile());
        Map<String, String> objects = Map.of(
                "", "",
                "agent", "/$defs/agent",
                "pipeline", "/$defs/pipeline",
                "pipeline.initial_messages[0]", "/$defs/pipeline/properties/initial_messages/items",
                "pipeline.vad_params", "/$defs/pipeline/properties/vad_params",
                "pipeline.interruptions", "/$defs/pipeline/properties/interruptions",
                "pipeline.interruptions.strategy", "/$defs/pipeline/properties/interruptions/properties/strategy/oneOf/0",
                "pipeline.guards", "/$defs/pipeline/properties/guards",
                "pipeline.tools[0]", "/$defs/pipeline/properties/tools/items",
                "pipeline.tts.switch", "/$defs/switch/properties/switch");
        for (Map.Entry<String, String> object : objects.entrySet()) {
            ObjectNode manifest = (ObjectNode) MAPPER.readTree(TestManifests.FULL);
            ObjectNode target = locate(manifest, object.getKey());
            target.put("zz_unknown", 1);
            List<String> accepted = acceptedFields(manifest.toString(), object.getKey());
            List<String> documented = new ArrayList<>();
            schema.at(object.getValue() + "/properties").fieldNames().forEachRemaining(documented::add);
            assertThat(accepted).as(object.getKey()).containsExactlyInAnyOrderElementsOf(documented);
        }
    }

    private static ObjectNode locate(ObjectNode root, String path) {
        JsonNode node = root;
        for (String part : path.isEmpty() ? new String[0] : path.split("\\.")) {
            int bracket = part.indexOf('[');
            node = bracket < 0 ? node.get(part) : node.get(part.substring(0, bracket)).get(0);
        }
        return (ObjectNode) node;
    }

    private static List<String> acceptedFields(String json, String path) {
        try {
            ManifestParser.parse("m.json", json, TestManifests.ENV);
        } catch (ManifestException e) {
            String field = path.isEmpty() ? "zz_unknown" : path + ".zz_unknown";
            String message = e.errors().stream().filter(error -> error.path().equals(field)).findFirst()
                    .orElseThrow(() -> new AssertionError("no unknown-field error at " + field + ": " + e.errors()))
                    .message();
            String list = message.substring(message.indexOf("expected one of: ") + "expected one of: ".length());
            return List.of(list.split(", "));
        }
        throw new AssertionError("an unknown field at " + path + " was accepted");
    }
}
