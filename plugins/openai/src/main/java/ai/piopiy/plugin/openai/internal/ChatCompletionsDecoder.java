package ai.piopiy.plugin.openai.internal;

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
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes {@code chat.completion.chunk} events. Text deltas go out at once; tool-call fragments are
 * joined per {@code index} (the first carries id and name, later ones pieces of the arguments; Groq
 * and Ollama send each call whole) and reported when the choice finishes; usage comes from the
 * chunk with empty {@code choices} before {@code [DONE]} (or Groq's {@code x_groq.usage}).
 */
public final class ChatCompletionsDecoder implements SseDecoder {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String service;
    private final Map<Integer, PendingCall> calls = new TreeMap<>();
    private TokenUsage usage;

    public ChatCompletionsDecoder(String service) {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public String finalEventName() {
        return "data: [DONE]";
    }

    @Override
    public boolean onEvent(String event, String data, LlmOutput out) throws JacksonException {
        if (data.equals("[DONE]")) {
            flushToolCalls(out);
            if (usage != null) {
                out.usage(usage);
            }
            return true;
        }
        JsonNode chunk = MAPPER.readTree(data);
        if (chunk == null || !chunk.isObject()) {
            throw new ServiceException(service, "malformed event from the provider (expected a JSON object): " + data);
        }
        if (chunk.hasNonNull("error")) {
            throw new ServiceException(service, "error in the stream: " + ProviderError.fromJson(chunk).describe());
        }
        JsonNode groq = chunk.path("x_groq");
        if (groq.hasNonNull("error")) {
            throw new ServiceException(service, "error in the stream: " + groq.get("error").asText());
        }
        readUsage(chunk.get("usage"));
        if (usage == null) {
            readUsage(groq.get("usage"));
        }
        JsonNode choices = chunk.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            return false;
        }
        JsonNode choice = choices.get(0);
        JsonNode delta = choice.path("delta");
        JsonNode content = delta.get("content");
        if (content != null && content.isTextual() && !content.asText().isEmpty()) {
            out.text(content.asText());
        }
        JsonNode toolCalls = delta.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray()) {
            for (int i = 0; i < toolCalls.size(); i++) {
                addFragment(toolCalls.get(i), i);
            }
        }
        if (choice.hasNonNull("finish_reason")) {
            flushToolCalls(out);
        }
        return false;
    }

    private void addFragment(JsonNode fragment, int position) {
        int index = fragment.path("index").asInt(position);
        PendingCall call = calls.computeIfAbsent(index, PendingCall::new);
        JsonNode id = fragment.get("id");
        if (id != null && id.isTextual() && !id.asText().isEmpty()) {
            call.id = id.asText();
        }
        JsonNode function = fragment.path("function");
        JsonNode name = function.get("name");
        if (name != null && name.isTextual() && !name.asText().isEmpty()) {
            call.name = name.asText();
        }
        JsonNode arguments = function.get("arguments");
        if (arguments != null && arguments.isTextual()) {
            call.arguments.append(arguments.asText());
        }
    }

    private void flushToolCalls(LlmOutput out) {
        for (PendingCall call : calls.values()) {
            out.toolCall(call.complete());
        }
        calls.clear();
    }

    private void readUsage(JsonNode node) {
        if (node != null && node.isObject()) {
            usage = new TokenUsage(node.path("prompt_tokens").asInt(), node.path("completion_tokens").asInt());
        }
    }

    private final class PendingCall {
        private final int index;
        private final StringBuilder arguments = new StringBuilder();
        private String id;
        private String name;

        PendingCall(int index) {
            this.index = index;
        }

        ToolCall complete() {
            if (name == null) {
                throw new ServiceException(service, "tool call #" + index + " came without a function name");
            }
            String json = arguments.isEmpty() ? "{}" : arguments.toString();
            try {
                JsonNode parsed = MAPPER.readTree(json);
                if (parsed == null || !parsed.isObject()) {
                    throw new ServiceException(service, "tool call " + name + ": arguments are not a JSON object: " + json);
                }
            } catch (JacksonException e) {
                throw new ServiceException(service, "tool call " + name + ": arguments are not valid JSON ("
                        + e.getOriginalMessage() + "); the answer may have hit max_tokens", e);
            }
            // some OpenAI-compatible servers leave out the id; the runtime still needs one to pair the result
            return new ToolCall(id != null ? id : "call_" + index, name, json);
        }
    }
}
