package ai.piopiy.plugin.llmhttp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON the SPI carries as text and a request must embed as an object: a tool's parameter schema, a call's arguments. */
public final class ChatJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ChatJson() {}

    /**
     * Parses {@code json}, which must be an object.
     *
     * @param what names the value in the error ({@code tool get_weather parameters})
     * @throws IllegalArgumentException when it is not valid JSON or not an object
     */
    public static JsonNode object(String json, String what) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new IllegalArgumentException(what + " are not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }
}
