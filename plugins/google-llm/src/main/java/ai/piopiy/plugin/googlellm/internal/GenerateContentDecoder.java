package ai.piopiy.plugin.googlellm.internal;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Decodes {@code streamGenerateContent?alt=sse}: every event is a whole {@code GenerateContentResponse}
 * whose first candidate carries the next text pieces and whole {@code functionCall} parts (several in
 * one answer are parallel calls). There is no final event: the answer ends with the body, and is
 * complete when a candidate gave a {@code finishReason}. {@code usageMetadata} may come on several
 * chunks with growing counts, so the last one is reported once, at the end.
 */
public final class GenerateContentDecoder implements SseDecoder {

    /** Prefix of the ids made up for calls Gemini gave none: such an id is never sent back. */
    public static final String GENERATED_ID_PREFIX = "gemini-call-";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The reasons of an answer that ended normally; every other one means Gemini cut it off. */
    private static final Set<String> COMPLETE = Set.of("STOP", "MAX_TOKENS");
    private static final Set<String> BLOCKED = Set.of("SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY");

    private final String service;
    private final ThoughtSignatures signatures;
    private String finishReason;
    private boolean spoke;
    private TokenUsage usage;

    public GenerateContentDecoder(String service, ThoughtSignatures signatures) {
        this.service = requireNonNull(service, "service is null");
        this.signatures = requireNonNull(signatures, "signatures is null");
    }

    @Override
    public String finalEventName() {
        return "a finishReason";
    }

    @Override
    public boolean onEvent(String event, String data, LlmOutput out) throws JacksonException {
        JsonNode chunk = MAPPER.readTree(data);
        if (chunk == null || !chunk.isObject()) {
            throw new ServiceException(service, "malformed chunk (expected a JSON object): " + excerpt(data));
        }
        if (chunk.has("error")) {
            throw new ServiceException(service, "error in the stream: " + ProviderError.fromJson(chunk).describe());
        }
        JsonNode usageMetadata = chunk.get("usageMetadata");
        if (usageMetadata != null && usageMetadata.isObject()) {
            // the total counts thoughts and tool-use prompts too: they are billed, so they are counted here
            usage = new TokenUsage(
                    usageMetadata.path("promptTokenCount").asInt() + usageMetadata.path("toolUsePromptTokenCount").asInt(),
                    usageMetadata.path("candidatesTokenCount").asInt() + usageMetadata.path("thoughtsTokenCount").asInt());
        }
        String blockReason = chunk.path("promptFeedback").path("blockReason").asText("");
        if (!blockReason.isEmpty()) {
            reportUsage(out);
            throw new ServiceException(service, "Gemini refused the prompt (blockReason " + blockReason + ")"
                    + message(chunk.path("promptFeedback").path("blockReasonMessage")));
        }
        JsonNode candidate = chunk.path("candidates").path(0);
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.path("thought").asBoolean(false)) {
                continue; // a thought summary is not for the caller's ears
            }
            JsonNode call = part.get("functionCall");
            if (call != null) {
                out.toolCall(toolCall(call, part.path("thoughtSignature").asText("")));
                spoke = true;
                continue;
            }
            String text = part.path("text").asText("");
            if (!text.isEmpty()) {
                out.text(text);
                spoke = true;
            }
        }
        String reason = candidate.path("finishReason").asText("");
        if (!reason.isEmpty()) {
            finishReason = reason;
            if (!COMPLETE.contains(reason)) {
                reportUsage(out);
                throw new ServiceException(service, stopped(reason, candidate));
            }
        }
        return false;
    }

    @Override
    public boolean onEndOfBody(LlmOutput out) {
        if (finishReason == null) {
            return false;
        }
        reportUsage(out);
        if (!spoke && finishReason.equals("MAX_TOKENS")) {
            // a thinking model can spend the whole max_tokens on thoughts: the caller would hear silence
            throw new ServiceException(service, "Gemini reached max_tokens before any text or function call "
                    + "(thoughts count against it); raise max_tokens or lower thinking_budget");
        }
        return true;
    }

    private ToolCall toolCall(JsonNode call, String signature) {
        String name = call.path("name").asText("");
        if (name.isEmpty()) {
            throw new ServiceException(service, "a functionCall without a name: " + excerpt(call.toString()));
        }
        JsonNode args = call.get("args");
        if (args != null && !args.isNull() && !args.isObject()) {
            throw new ServiceException(service, "functionCall " + name + ": args is not a JSON object: " + excerpt(args.toString()));
        }
        String id = call.path("id").asText("");
        if (id.isEmpty()) {
            id = GENERATED_ID_PREFIX + UUID.randomUUID();
        }
        if (!signature.isEmpty()) {
            signatures.remember(id, signature);
        }
        return new ToolCall(id, name, args == null || args.isNull() ? "{}" : args.toString());
    }

    private String stopped(String reason, JsonNode candidate) {
        String what;
        if (BLOCKED.contains(reason)) {
            List<String> categories = new ArrayList<>();
            for (JsonNode rating : candidate.path("safetyRatings")) {
                if (rating.path("blocked").asBoolean(false)) {
                    categories.add(rating.path("category").asText());
                }
            }
            what = "Gemini blocked the answer (finishReason " + reason
                    + (categories.isEmpty() ? "" : ", " + String.join(", ", categories)) + ")";
        } else if (reason.equals("MALFORMED_FUNCTION_CALL")) {
            what = "Gemini produced a function call it could not complete (finishReason MALFORMED_FUNCTION_CALL)";
        } else {
            what = "Gemini stopped the answer (finishReason " + reason + ")";
        }
        return what + message(candidate.path("finishMessage"));
    }

    private void reportUsage(LlmOutput out) {
        if (usage != null) {
            out.usage(usage);
            usage = null;
        }
    }

    private static String message(JsonNode text) {
        return text.isTextual() && !text.asText().isBlank() ? ": " + excerpt(text.asText()) : "";
    }

    private static String excerpt(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
