package ai.piopiy.plugin.openai.internal;

import ai.piopiy.plugin.openai.OpenAiLlmConfig;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.llm.ToolDefinition;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes the JSON body of a streamed {@code POST /chat/completions}. */
public final class ChatCompletionsRequest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ChatCompletionsRequest() {}

    public static byte[] body(OpenAiLlmConfig config, LlmRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", config.model());
            g.writeBooleanField("stream", true);
            g.writeObjectFieldStart("stream_options");
            // the usage chunk comes only when asked for, just before [DONE]
            g.writeBooleanField("include_usage", true);
            g.writeEndObject();
            g.writeNumberField("temperature", config.temperature());
            g.writeNumberField(config.flavor().maxTokensField(), config.maxTokens());
            g.writeArrayFieldStart("messages");
            for (LlmMessage message : request.messages()) {
                writeMessage(g, message);
            }
            g.writeEndArray();
            if (!request.tools().isEmpty()) {
                g.writeArrayFieldStart("tools");
                for (ToolDefinition tool : request.tools()) {
                    g.writeStartObject();
                    g.writeStringField("type", "function");
                    g.writeObjectFieldStart("function");
                    g.writeStringField("name", tool.name());
                    g.writeStringField("description", tool.description());
                    g.writeFieldName("parameters");
                    g.writeTree(schema(tool));
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeMessage(JsonGenerator g, LlmMessage message) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", message.role());
        switch (message) {
            case LlmMessage.SystemMessage m -> g.writeStringField("content", m.content());
            case LlmMessage.UserMessage m -> g.writeStringField("content", m.content());
            case LlmMessage.AssistantMessage m -> {
                if (m.content().isEmpty() && !m.toolCalls().isEmpty()) {
                    g.writeNullField("content");
                } else {
                    g.writeStringField("content", m.content());
                }
                if (!m.toolCalls().isEmpty()) {
                    g.writeArrayFieldStart("tool_calls");
                    for (ToolCall call : m.toolCalls()) {
                        g.writeStartObject();
                        g.writeStringField("id", call.id());
                        g.writeStringField("type", "function");
                        g.writeObjectFieldStart("function");
                        g.writeStringField("name", call.name());
                        g.writeStringField("arguments", call.argumentsJson());
                        g.writeEndObject();
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
            }
            case LlmMessage.ToolResultMessage m -> {
                g.writeStringField("tool_call_id", m.toolCallId());
                g.writeStringField("content", m.content());
            }
        }
        g.writeEndObject();
    }

    private static JsonNode schema(ToolDefinition tool) {
        try {
            JsonNode node = MAPPER.readTree(tool.parametersJsonSchema());
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("tool " + tool.name() + ": parameters must be a JSON Schema object");
            }
            return node;
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "tool " + tool.name() + ": parameters are not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }
}
