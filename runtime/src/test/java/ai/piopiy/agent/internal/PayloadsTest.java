package ai.piopiy.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OBJECT = "{\"lang\":\"en\",\"customer\":{\"id\":7,\"tags\":[\"vip\",null]}}";

    @ParameterizedTest
    @ValueSource(strings = {
            OBJECT,
            "\"{\\\"lang\\\":\\\"en\\\",\\\"customer\\\":{\\\"id\\\":7,\\\"tags\\\":[\\\"vip\\\",null]}}\"",
            "{\"lang\":\"en\",\"customer\":{\"id\":7,\"tags\":[\"vip\",null]\\}\\}",
            "\"{\\\"lang\\\":\\\"en\\\",\\\"customer\\\":{\\\"id\\\":7,\\\"tags\\\":[\\\"vip\\\",null]\\}\\}\"",
            "  " + OBJECT + "\n"})
    void metadataDecodesFromAStringEncodedOnceOrTwiceWithOrWithoutBraceEscapes(String encoded) {
        Map<String, Object> metadata = Payloads.decodeMetadata(text(encoded));

        assertThat(metadata).containsOnlyKeys("lang", "customer").containsEntry("lang", "en");
        assertThat(metadata.get("customer")).isEqualTo(Map.of("id", 7, "tags", Arrays.asList("vip", null)));
    }

    @Test
    void metadataAsAnObjectIsTakenAsItIsWithoutTopLevelNulls() throws Exception {
        Map<String, Object> metadata = Payloads.decodeMetadata(JSON.readTree("{\"a\":1,\"gone\":null,\"big\":12345678901,\"f\":1.5,\"ok\":true}"));

        assertThat(metadata).containsOnlyKeys("a", "big", "f", "ok");
        assertThat(metadata.get("big")).isEqualTo(12345678901L);
        assertThat(metadata.get("f")).isEqualTo(1.5);
        assertThat(metadata.get("ok")).isEqualTo(true);
        assertThatThrownBy(() -> metadata.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"broken\":", "[1,2]", "42", "\"\\\"just a string\\\"\""})
    void metadataThatIsNoObjectEvenDecodedIsKeptRaw(String raw) {
        assertThat(Payloads.decodeMetadata(text(raw))).isEqualTo(Map.of("raw", raw));
    }

    @Test
    void absentNullOrBlankMetadataIsEmptyAndOtherJsonValuesAreKeptRaw() throws Exception {
        assertThat(Payloads.decodeMetadata(null)).isEmpty();
        assertThat(Payloads.decodeMetadata(JsonNodeFactory.instance.nullNode())).isEmpty();
        assertThat(Payloads.decodeMetadata(text(" "))).isEmpty();
        assertThat(Payloads.decodeMetadata(JSON.readTree("[1,\"a\"]"))).isEqualTo(Map.of("raw", List.of(1, "a")));
        assertThat(Payloads.decodeMetadata(JSON.readTree("3"))).isEqualTo(Map.of("raw", 3));
    }

    @Test
    void readsWhatSocketIoClientHandsOver() {
        JsonNode fromOrgJson = Payloads.read(new JSONObject(Map.of("room_name", "r", "url", "https://a/b")));
        assertThat(fromOrgJson.get("room_name").asText()).isEqualTo("r");
        assertThat(fromOrgJson.get("url").asText()).isEqualTo("https://a/b");
        assertThat(Payloads.read("{\"room_name\":\"r\"}").get("room_name").asText()).isEqualTo("r");
        assertThat(Payloads.read("plain text").textValue()).isEqualTo("plain text");
        assertThat(Payloads.read(null).isNull()).isTrue();
    }

    @Test
    void redactionHidesTheRoomTokenAndSecretLookingKeysAtAnyDepthAndDecodesMetadataFirst() throws Exception {
        JsonNode payload = JSON.readTree("""
                {"room_name":"r1","token":"room-jwt","call_id":"c1",
                 "metadata":"{\\"Authorization\\":\\"Bearer abc\\",\\"crm\\":{\\"apiKey\\":\\"k-1\\",\\"region\\":\\"in\\"},\\"lang\\":\\"en\\"}"}
                """);
        Map<String, Object> metadata = Payloads.decodeMetadata(payload.get("metadata"));

        String logged = Payloads.redacted(payload, metadata);

        assertThat(logged).doesNotContain("room-jwt", "Bearer abc", "k-1")
                .contains("\"token\":\"****\"", "\"Authorization\":\"****\"", "\"apiKey\":\"****\"", "\"region\":\"in\"",
                        "\"room_name\":\"r1\"", "\"lang\":\"en\"");
        assertThat(payload.get("token").asText()).isEqualTo("room-jwt");
        assertThat(Payloads.redacted(text("x"), Map.of())).isEqualTo("<not a JSON object>");
    }

    private static JsonNode text(String value) {
        return JsonNodeFactory.instance.textNode(value);
    }
}
