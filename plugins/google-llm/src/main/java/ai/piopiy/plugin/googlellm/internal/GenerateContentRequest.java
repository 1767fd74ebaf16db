package ai.piopiy.plugin.googlellm.internal;

import ai.piopiy.plugin.googlellm.GoogleLlmConfig;
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
import java.util.Comparator;
import java.util.List;

/**
 * Writes the JSON body of {@code models/{model}:streamGenerateContent}. Gemini's conversation differs
 * from the shared shape in ways handled here: instructions go in {@code systemInstruction}; the bot's
 * role is {@code model}; a tool call is a {@code functionCall} part and its result a
 * {@code functionResponse} part of a {@code user} turn. Gemini pairs results with calls by name and
 * position (ids are optional and usually absent), so the results of one model turn go in one user turn
 * in the order of its calls. Consecutive messages of one role form one turn, and a conversation that
 * does not open with a user turn gets one, as Gemini wants a function call to follow a user turn.
 */
public final class GenerateContentRequest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GenerateContentRequest() {}

    public static byte[] body(GoogleLlmConfig config, LlmRequest request, ThoughtSignatures signatures) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode system = MAPPER.createArrayNode();
        Turns turns = new Turns();
        List<ToolCall> lastCalls = List.of();
        List<LlmMessage.ToolResultMessage> results = new ArrayList<>();
        for (LlmMessage message : request.messages()) {
            if (!(message instanceof LlmMessage.ToolResultMessage) && !results.isEmpty()) {
                addResults(turns, results, lastCalls);
            }
            switch (message) {
                // a later system message (a runtime hint) still belongs to the instructions: there is no system role
                case LlmMessage.SystemMessage m -> system.add(text(m.content()));
                case LlmMessage.UserMessage m -> {
                    if (!m.content().isBlank()) {
                        turns.of("user").add(text(m.content()));
                    }
                }
                case LlmMessage.AssistantMessage m -> {
                    if (m.content().isBlank() && m.toolCalls().isEmpty()) {
                        continue;
                    }
                    ArrayNode turn = turns.of("model");
                    if (!m.content().isBlank()) {
                        turn.add(text(m.content()));
                    }
                    for (ToolCall call : m.toolCalls()) {
                        turn.add(functionCall(call, signatures));
                    }
                    if (!m.toolCalls().isEmpty()) {
                        lastCalls = m.toolCalls();
                    }
                }
                case LlmMessage.ToolResultMessage m -> results.add(m);
            }
        }
        addResults(turns, results, lastCalls);
        turns.openWith("user", text(Turns.CALL_STARTED));
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").set("parts", system);
        }
        ArrayNode contents = body.putArray("contents");
        for (Turns.Turn turn : turns.list()) {
            contents.addObject().put("role", turn.role()).set("parts", turn.parts());
        }
        if (!request.tools().isEmpty()) {
            ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
            for (ToolDefinition tool : request.tools()) {
                // parametersJsonSchema takes JSON Schema as it is; "parameters" wants Google's OpenAPI subset,
                // which refuses keywords such as additionalProperties
                declarations.addObject().put("name", tool.name()).put("description", tool.description())
                        .set("parametersJsonSchema", ChatJson.object(tool.parametersJsonSchema(), "tool " + tool.name() + " parameters"));
            }
        }
        ObjectNode generation = body.putObject("generationConfig")
                .put("temperature", config.temperature())
                .put("maxOutputTokens", config.maxTokens());
        config.thinkingBudget().ifPresent(budget -> generation.putObject("thinkingConfig").put("thinkingBudget", budget));
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JacksonException e) {
            throw new IllegalStateException("could not write the request JSON", e);
        }
    }

    private static ObjectNode functionCall(ToolCall call, ThoughtSignatures signatures) {
        ObjectNode part = MAPPER.createObjectNode();
        ObjectNode fc = part.putObject("functionCall").put("name", call.name());
        fc.set("args", ChatJson.object(call.argumentsJson(), "tool call " + call.name() + " arguments"));
        if (!call.id().startsWith(GenerateContentDecoder.GENERATED_ID_PREFIX)) {
            fc.put("id", call.id());
        }
        signatures.of(call.id()).ifPresent(signature -> part.put("thoughtSignature", signature));
        return part;
    }

    /** The results of one round of calls, in the order of the calls they answer (unknown ids last, as they came). */
    private static void addResults(Turns turns, List<LlmMessage.ToolResultMessage> results, List<ToolCall> calls) {
        if (results.isEmpty()) {
            return;
        }
        List<String> order = calls.stream().map(ToolCall::id).toList();
        results.sort(Comparator.comparingInt(r -> {
            int at = order.indexOf(r.toolCallId());
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
        ArrayNode turn = turns.of("user");
        for (LlmMessage.ToolResultMessage result : results) {
            ObjectNode fr = MAPPER.createObjectNode().putObject("functionResponse").put("name", result.toolName());
            if (!result.toolCallId().startsWith(GenerateContentDecoder.GENERATED_ID_PREFIX)) {
                fr.put("id", result.toolCallId());
            }
            fr.set("response", response(result.content()));
            turn.add(MAPPER.createObjectNode().set("functionResponse", fr));
        }
        results.clear();
    }

    /**
     * Gemini wants an object: one is sent as it is (an {@code error} key marks a failure, any other
     * object is the output); any other JSON value, or text that is not JSON, goes under {@code output}.
     */
    private static JsonNode response(String content) {
        JsonNode value;
        try {
            value = MAPPER.readTree(content);
        } catch (JacksonException notJson) {
            value = null;
        }
        if (value != null && value.isObject()) {
            return value;
        }
        ObjectNode wrapped = MAPPER.createObjectNode();
        if (value == null || value.isMissingNode()) {
            wrapped.put("output", content);
        } else {
            wrapped.set("output", value);
        }
        return wrapped;
    }

    private static ObjectNode text(String text) {
        return MAPPER.createObjectNode().put("text", text);
    }
}
