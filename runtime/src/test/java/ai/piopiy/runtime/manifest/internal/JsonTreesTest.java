package ai.piopiy.runtime.manifest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** JsonTrees against what an ObjectMapper makes of the same text. */
class JsonTreesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void readsAndWritesWhatAnObjectMapperWould() throws Exception {
        String json = """
                {"type": "object", "properties": {"n": {"type": "integer", "minimum": -3, "maximum": 4000000000,
                 "huge": 123456789012345678901234567890}, "x": {"type": "number", "default": 0.25, "e": 1e-7}},
                 "required": ["n"], "additionalProperties": false, "nothing": null, "text": "a \\"quoted\\" \\u00e9"}
                """;
        JsonNode ours = JsonTrees.read(json);
        JsonNode theirs = MAPPER.readTree(json);
        assertThat(ours).isEqualTo(theirs);
        assertThat(JsonTrees.write(ours)).isEqualTo(MAPPER.writeValueAsString(theirs));
        assertThat(JsonTrees.read("  \n ").isMissingNode()).isTrue();
        assertThat(JsonTrees.read("[1, [true], {}]")).isEqualTo(MAPPER.readTree("[1, [true], {}]"));
    }

    @Test
    void duplicateKeysAndTrailingContentAreErrorsWithTheirPlace() {
        assertThatThrownBy(() -> JsonTrees.read("{\"a\": 1, \"a\": 2}"))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> JsonTrees.read("{\"a\": 1} {\"b\": 2}"))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("Trailing token (of type START_OBJECT) found after the value")
                .satisfies(e -> assertThat(((JsonProcessingException) e).getLocation().getColumnNr()).isEqualTo(11));
    }
}
