package ai.piopiy.plugin.anthropic.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.LlmOutput;
import ai.piopiy.plugin.llmhttp.ProviderError;
import ai.piopiy.plugin.llmhttp.SseDecoder;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes the Messages API's events: {@code message_start} (input tokens), per content block
 * {@code content_block_start}/{@code _delta}/{@code _stop} (text out at once; a {@code tool_use}
 * block's {@code input_json_delta} pieces joined and reported at its stop), {@code message_delta}
 * (cumulative output tokens), {@code message_stop} (the end), {@code error}. {@code ping} and
 * unknown events or delta types (thinking, citations) are ignored, as the API asks.
 */
public final class MessagesDecoder implements SseDecoder {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String service;
    private final Map<Integer, PendingToolUse> toolUses = new HashMap<>();
    private int inputTokens;
    private int outputTokens;

    public MessagesDecoder(String service) {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public String finalEventName() {
        return "message_stop";
    }

    @Override
    public boolean onEvent(String event, String data, LlmOutput out) throws JacksonException {
        JsonNode node = MAPPER.readTree(data);
        if (node == null || !node.isObject()) {
            throw new ServiceException(service, "malformed " + event + " event (expected a JSON object): " + data);
        }
        switch (node.path("type").asText(event)) {
            case "message_start" -> readUsage(node.path("message").path("usage"));
            case "content_block_start" -> {
                JsonNode block = node.path("content_block");
                if (block.path("type").asText().equals("tool_use")) {
                    toolUses.put(node.path("index").asInt(), new PendingToolUse(
                            block.path("id").asText(), block.path("name").asText(), block.get("input")));
                }
            }
            case "content_block_delta" -> {
                JsonNode delta = node.path("delta");
                switch (delta.path("type").asText()) {
                    case "text_delta" -> {
                        String text = delta.path("text").asText();
                        if (!text.isEmpty()) {
                            out.text(text);
                        }
                    }
                    case "input_json_delta" -> {
                        PendingToolUse use = toolUses.get(node.path("index").asInt());
                        if (use == null) {
                            throw new ServiceException(service, "input_json_delta for block " + node.path("index")
                                    + ", which is not a tool_use block");
                        }
                        use.json.append(delta.path("partial_json").asText());
                    }
                    default -> {
                        // thinking, signature and citations deltas are not spoken
                    }
                }
            }
            case "content_block_stop" -> {
                PendingToolUse use = toolUses.remove(node.path("index").asInt());
                if (use != null) {
                    out.toolCall(use.complete());
                }
            }
            case "message_delta" -> readUsage(node.path("usage"));
            case "message_stop" -> {
                out.usage(new TokenUsage(inputTokens, outputTokens));
                return true;
            }
            case "error" -> throw new ServiceException(service, "error in the stream: " + ProviderError.fromJson(node).describe());
            default -> {
                // ping, and event types newer than this client
            }
        }
        return false;
    }

    /** Usage counts are cumulative: the latest value of each replaces the earlier one. */
    private void readUsage(JsonNode usage) {
        if (usage.has("input_tokens")) {
            inputTokens = usage.path("input_tokens").asInt()
                    + usage.path("cache_creation_input_tokens").asInt()
                    + usage.path("cache_read_input_tokens").asInt();
        }
        if (usage.has("output_tokens")) {
            outputTokens = usage.path("output_tokens").asInt();
        }
    }

    private final class PendingToolUse {
        private final String id;
        private final String name;
        private final JsonNode startInput;
        private final StringBuilder json = new StringBuilder();

        PendingToolUse(String id, String name, JsonNode startInput) {
            this.id = id;
            this.name = name;
            this.startInput = startInput;
        }

        ToolCall complete() {
            if (json.isEmpty()) {
                // no deltas: the input (if any) came whole in content_block_start
                return new ToolCall(id, name, startInput != null && startInput.isObject() ? startInput.toString() : "{}");
            }
            String arguments = json.toString();
            try {
                JsonNode parsed = MAPPER.readTree(arguments);
                if (parsed == null || !parsed.isObject()) {
                    throw new ServiceException(service, "tool_use " + name + ": input is not a JSON object: " + arguments);
                }
            } catch (JacksonException e) {
                throw new ServiceException(service, "tool_use " + name + ": input is not valid JSON ("
                        + e.getOriginalMessage() + "); the answer may have hit max_tokens", e);
            }
            return new ToolCall(id, name, arguments);
        }
    }
}
