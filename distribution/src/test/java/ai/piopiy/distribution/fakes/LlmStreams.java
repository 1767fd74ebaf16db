package ai.piopiy.distribution.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import mockwebserver3.MockResponse;

/**
 * Streamed answers of the LLM APIs as their servers send them (server-sent events): a text answer
 * word by word, or tool calls. For a MockWebServer standing in for the provider.
 */
public final class LlmStreams {

    /** A tool call the model makes; {@code id} is left out where the API has none (Gemini). */
    public record Call(String id, String name, String argumentsJson) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private LlmStreams() {}

    // ---- OpenAI Chat Completions (openai, groq, ollama)

    public static MockResponse openAiText(String text) {
        StringBuilder events = new StringBuilder();
        List<String> words = words(text);
        for (int i = 0; i < words.size(); i++) {
            ObjectNode delta = JSON.createObjectNode();
            if (i == 0) {
                delta.put("role", "assistant");
            }
            delta.put("content", words.get(i));
            data(events, openAiChunk(delta, null));
        }
        data(events, openAiChunk(JSON.createObjectNode(), "stop"));
        data(events, openAiUsage());
        return sse(events.append("data: [DONE]\n\n"));
    }

    public static MockResponse openAiToolCalls(Call... calls) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < calls.length; i++) {
            ObjectNode opening = JSON.createObjectNode();
            if (i == 0) {
                opening.put("role", "assistant").putNull("content");
            }
            opening.putArray("tool_calls").addObject().put("index", i).put("id", calls[i].id()).put("type", "function")
                    .putObject("function").put("name", calls[i].name()).put("arguments", "");
            data(events, openAiChunk(opening, null));
            ObjectNode arguments = JSON.createObjectNode();
            arguments.putArray("tool_calls").addObject().put("index", i).putObject("function").put("arguments", calls[i].argumentsJson());
            data(events, openAiChunk(arguments, null));
        }
        data(events, openAiChunk(JSON.createObjectNode(), "tool_calls"));
        data(events, openAiUsage());
        return sse(events.append("data: [DONE]\n\n"));
    }

    private static ObjectNode openAiChunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-it").put("object", "chat.completion.chunk")
                .put("created", 1767225600).put("model", "gpt-4o-mini");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private static ObjectNode openAiUsage() {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-it").put("object", "chat.completion.chunk");
        chunk.putArray("choices");
        chunk.putObject("usage").put("prompt_tokens", 40).put("completion_tokens", 9).put("total_tokens", 49);
        return chunk;
    }

    // ---- Anthropic Messages

    public static MockResponse anthropicText(String text) {
        StringBuilder events = anthropicStart();
        event(events, "content_block_start", JSON.createObjectNode().put("type", "content_block_start").put("index", 0)
                .set("content_block", JSON.createObjectNode().put("type", "text").put("text", "")));
        for (String word : words(text)) {
            event(events, "content_block_delta", JSON.createObjectNode().put("type", "content_block_delta").put("index", 0)
                    .set("delta", JSON.createObjectNode().put("type", "text_delta").put("text", word)));
        }
        event(events, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", 0));
        return sse(anthropicEnd(events, "end_turn"));
    }

    public static MockResponse anthropicToolUse(Call... calls) {
        StringBuilder events = anthropicStart();
        for (int i = 0; i < calls.length; i++) {
            ObjectNode block = JSON.createObjectNode().put("type", "tool_use").put("id", calls[i].id()).put("name", calls[i].name());
            block.putObject("input");
            event(events, "content_block_start", JSON.createObjectNode().put("type", "content_block_start").put("index", i)
                    .set("content_block", block));
            event(events, "content_block_delta", JSON.createObjectNode().put("type", "content_block_delta").put("index", i)
                    .set("delta", JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", calls[i].argumentsJson())));
            event(events, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", i));
        }
        return sse(anthropicEnd(events, "tool_use"));
    }

    private static StringBuilder anthropicStart() {
        ObjectNode message = JSON.createObjectNode().put("id", "msg_it").put("type", "message").put("role", "assistant")
                .put("model", "claude-sonnet-4-5").putNull("stop_reason").putNull("stop_sequence");
        message.putArray("content");
        message.putObject("usage").put("input_tokens", 40).put("output_tokens", 1);
        StringBuilder events = new StringBuilder();
        event(events, "message_start", JSON.createObjectNode().put("type", "message_start").set("message", message));
        return events;
    }

    private static StringBuilder anthropicEnd(StringBuilder events, String stopReason) {
        ObjectNode delta = JSON.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", 9);
        event(events, "message_delta", delta);
        event(events, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
        return events;
    }

    // ---- Gemini streamGenerateContent?alt=sse (google-llm)

    public static MockResponse geminiText(String text) {
        StringBuilder events = new StringBuilder();
        List<String> words = words(text);
        for (int i = 0; i < words.size(); i++) {
            ArrayNode parts = JSON.createArrayNode();
            parts.addObject().put("text", words.get(i));
            data(events, geminiChunk(parts, i == words.size() - 1));
        }
        return sse(events);
    }

    public static MockResponse geminiFunctionCalls(Call... calls) {
        ArrayNode parts = JSON.createArrayNode();
        for (Call call : calls) {
            ObjectNode functionCall = parts.addObject().putObject("functionCall").put("name", call.name());
            try {
                functionCall.set("args", JSON.readTree(call.argumentsJson()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sse(data(new StringBuilder(), geminiChunk(parts, true)));
    }

    private static ObjectNode geminiChunk(ArrayNode parts, boolean last) {
        ObjectNode chunk = JSON.createObjectNode();
        ObjectNode candidate = chunk.putArray("candidates").addObject();
        candidate.putObject("content").put("role", "model").set("parts", parts);
        candidate.put("index", 0);
        if (last) {
            candidate.put("finishReason", "STOP");
        }
        chunk.putObject("usageMetadata").put("promptTokenCount", 40).put("candidatesTokenCount", 9).put("totalTokenCount", 49);
        return chunk.put("modelVersion", "gemini-2.5-flash").put("responseId", "it");
    }

    // ---- SSE

    /** The words of {@code text}, each but the first with the space before it, as models stream tokens. */
    private static List<String> words(String text) {
        return List.of(text.replace(" ", "\n ").split("\n"));
    }

    private static StringBuilder data(StringBuilder events, ObjectNode payload) {
        return events.append("data: ").append(payload).append("\n\n");
    }

    private static void event(StringBuilder events, String name, ObjectNode payload) {
        events.append("event: ").append(name).append('\n');
        data(events, payload);
    }

    private static MockResponse sse(CharSequence events) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .body(events.toString()).build();
    }
}
