package ai.piopiy.plugin.anthropic.internal;

import ai.piopiy.plugin.anthropic.AnthropicLlmConfig;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.llm.ToolDefinition;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the JSON body of a streamed {@code POST /v1/messages}. The Messages API differs from the
 * shared conversation shape in three ways handled here: instructions go in the top-level
 * {@code system} (not a role); tool results are {@code tool_result} blocks of a user turn, all
 * results of one assistant turn in the same user turn; and consecutive messages of one role form a
 * single turn of content blocks. The API also wants a conversation to open with a user turn, which a
 * call does not when the bot greets first, so one is put in front then.
 */
public final class MessagesRequest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The user turn put before a bot's opening words (or alone, when the bot is to speak first). */
    static final String CALL_STARTED = "(the call has started)";

    private MessagesRequest() {}

    public static byte[] body(AnthropicLlmConfig config, LlmRequest request) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", config.model());
        body.put("max_tokens", config.maxTokens());
        body.put("stream", true);
        body.put("temperature", config.temperature());
        List<String> system = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        for (LlmMessage message : request.messages()) {
            switch (message) {
                // a later system message (a runtime hint) still belongs to the instructions: there is no system role
                case LlmMessage.SystemMessage m -> system.add(m.content());
                case LlmMessage.UserMessage m -> {
                    if (!m.content().isBlank()) {
                        turn(turns, "user").add(text(m.content()));
                    }
                }
                case LlmMessage.AssistantMessage m -> {
                    if (m.content().isBlank() && m.toolCalls().isEmpty()) {
                        // the API refuses empty text blocks; an empty bot turn carries nothing
                        continue;
                    }
                    Turn turn = turn(turns, "assistant");
                    if (!m.content().isBlank()) {
                        turn.add(text(m.content()));
                    }
                    for (ToolCall call : m.toolCalls()) {
                        ObjectNode use = MAPPER.createObjectNode().put("type", "tool_use").put("id", call.id()).put("name", call.name());
                        use.set("input", object(call.argumentsJson(), "tool call " + call.name() + " arguments"));
                        turn.add(use);
                    }
                }
                case LlmMessage.ToolResultMessage m -> turn(turns, "user").add(MAPPER.createObjectNode()
                        .put("type", "tool_result").put("tool_use_id", m.toolCallId()).put("content", m.content()));
            }
        }
        if (turns.isEmpty() || !turns.getFirst().role.equals("user")) {
            Turn opening = new Turn("user", MAPPER.createArrayNode());
            opening.add(text(CALL_STARTED));
            turns.addFirst(opening);
        }
        if (!system.isEmpty()) {
            body.put("system", String.join("\n\n", system));
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ObjectNode t = tools.addObject().put("name", tool.name()).put("description", tool.description());
                t.set("input_schema", object(tool.parametersJsonSchema(), "tool " + tool.name() + " parameters"));
            }
        }
        ArrayNode messages = body.putArray("messages");
        for (Turn turn : turns) {
            ObjectNode m = messages.addObject().put("role", turn.role);
            JsonNode only = turn.blocks.size() == 1 ? turn.blocks.get(0) : null;
            if (only != null && only.path("type").asText().equals("text")) {
                m.put("content", only.get("text").asText());
            } else {
                m.set("content", turn.blocks);
            }
        }
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JacksonException e) {
            throw new IllegalStateException("could not write the request JSON", e);
        }
    }

    private static Turn turn(List<Turn> turns, String role) {
        if (!turns.isEmpty() && turns.getLast().role.equals(role)) {
            return turns.getLast();
        }
        Turn turn = new Turn(role, MAPPER.createArrayNode());
        turns.add(turn);
        return turn;
    }

    private static ObjectNode text(String text) {
        return MAPPER.createObjectNode().put("type", "text").put("text", text);
    }

    private static JsonNode object(String json, String what) {
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

    private record Turn(String role, ArrayNode blocks) {
        void add(JsonNode block) {
            blocks.add(block);
        }
    }
}
