package ai.piopiy.plugin.anthropic.internal;

import ai.piopiy.plugin.anthropic.AnthropicLlmConfig;
import ai.piopiy.plugin.llmhttp.ChatJson;
import ai.piopiy.plugin.llmhttp.Turns;
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

    private MessagesRequest() {}

    public static byte[] body(AnthropicLlmConfig config, LlmRequest request) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", config.model());
        body.put("max_tokens", config.maxTokens());
        body.put("stream", true);
        body.put("temperature", config.temperature());
        List<String> system = new ArrayList<>();
        Turns turns = new Turns();
        for (LlmMessage message : request.messages()) {
            switch (message) {
                // a later system message (a runtime hint) still belongs to the instructions: there is no system role
                case LlmMessage.SystemMessage m -> system.add(m.content());
                case LlmMessage.UserMessage m -> {
                    if (!m.content().isBlank()) {
                        turns.of("user").add(text(m.content()));
                    }
                }
                case LlmMessage.AssistantMessage m -> {
                    if (m.content().isBlank() && m.toolCalls().isEmpty()) {
                        // the API refuses empty text blocks; an empty bot turn carries nothing
                        continue;
                    }
                    ArrayNode turn = turns.of("assistant");
                    if (!m.content().isBlank()) {
                        turn.add(text(m.content()));
                    }
                    for (ToolCall call : m.toolCalls()) {
                        ObjectNode use = MAPPER.createObjectNode().put("type", "tool_use").put("id", call.id()).put("name", call.name());
                        use.set("input", ChatJson.object(call.argumentsJson(), "tool call " + call.name() + " arguments"));
                        turn.add(use);
                    }
                }
                case LlmMessage.ToolResultMessage m -> turns.of("user").add(MAPPER.createObjectNode()
                        .put("type", "tool_result").put("tool_use_id", m.toolCallId()).put("content", m.content()));
            }
        }
        turns.openWith("user", text(Turns.CALL_STARTED));
        if (!system.isEmpty()) {
            body.put("system", String.join("\n\n", system));
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ObjectNode t = tools.addObject().put("name", tool.name()).put("description", tool.description());
                t.set("input_schema", ChatJson.object(tool.parametersJsonSchema(), "tool " + tool.name() + " parameters"));
            }
        }
        ArrayNode messages = body.putArray("messages");
        for (Turns.Turn turn : turns.list()) {
            ObjectNode m = messages.addObject().put("role", turn.role());
            JsonNode only = turn.parts().size() == 1 ? turn.parts().get(0) : null;
            if (only != null && only.path("type").asText().equals("text")) {
                m.put("content", only.get("text").asText());
            } else {
                m.set("content", turn.parts());
            }
        }
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JacksonException e) {
            throw new IllegalStateException("could not write the request JSON", e);
        }
    }

    private static ObjectNode text(String text) {
        return MAPPER.createObjectNode().put("type", "text").put("text", text);
    }
}
