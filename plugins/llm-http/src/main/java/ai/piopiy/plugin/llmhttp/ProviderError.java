package ai.piopiy.plugin.llmhttp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;

/**
 * What a provider said in an error body. OpenAI, Groq, Ollama and Anthropic all put
 * {@code {"error":{"message","type","code"?}}} there (Anthropic adds a top-level {@code "type":"error"});
 * Ollama's native API uses {@code {"error":"..."}}; Google's APIs {@code {"error":{"code":400,"message","status"}}};
 * anything else is shown as text, shortened.
 */
public record ProviderError(String message, String type, String code) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_TEXT = 300;

    public static ProviderError parse(String body) {
        String trimmed = body.strip();
        if (trimmed.isEmpty()) {
            return new ProviderError("(empty body)", null, null);
        }
        try {
            JsonNode root = MAPPER.readTree(trimmed);
            if (root != null && root.isObject()) {
                return fromJson(root);
            }
        } catch (JacksonException notJson) {
            // a proxy's HTML page or plain text: shown as it is, shortened
        }
        return new ProviderError(shorten(trimmed), null, null);
    }

    /** The error object of an in-stream error event, or null when {@code node} has none. */
    public static ProviderError fromJson(JsonNode node) {
        JsonNode error = node.get("error");
        if (error != null && error.isTextual()) {
            return new ProviderError(error.asText(), null, null);
        }
        if (error != null && error.isObject()) {
            return new ProviderError(
                    // Google's APIs name the kind of error "status" (INVALID_ARGUMENT) where the others say "type"
                    shorten(text(error, "message", "(no message)")), text(error, "type", text(error, "status", null)),
                    text(error, "code", null));
        }
        return new ProviderError(shorten(text(node, "message", node.toString())), null, null);
    }

    /**
     * The wait a Google API asks for in an error body ({@code error.details[]} of type
     * {@code google.rpc.RetryInfo}, {@code "retryDelay": "58s"}), where others use a Retry-After header;
     * null when the body has none.
     */
    public static Duration retryDelay(String body) {
        JsonNode details;
        try {
            JsonNode root = MAPPER.readTree(body);
            details = root == null ? null : root.path("error").get("details");
        } catch (JacksonException notJson) {
            return null;
        }
        if (details == null || !details.isArray()) {
            return null;
        }
        for (JsonNode detail : details) {
            String delay = detail.path("retryDelay").asText("");
            if (detail.path("@type").asText("").endsWith("google.rpc.RetryInfo") && delay.endsWith("s")) {
                try {
                    double seconds = Double.parseDouble(delay.substring(0, delay.length() - 1));
                    return seconds < 0 ? null : Duration.ofNanos((long) (seconds * 1e9));
                } catch (NumberFormatException unreadable) {
                    return null;
                }
            }
        }
        return null;
    }

    /** {@code message (type, code)}, naming only what the provider gave. */
    public String describe() {
        StringBuilder out = new StringBuilder(message);
        if (type != null || code != null) {
            out.append(" (");
            if (type != null) {
                out.append(type);
            }
            if (code != null && !code.equals(type)) {
                out.append(type != null ? ", " : "").append(code);
            }
            out.append(')');
        }
        return out.toString();
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static String shorten(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_TEXT ? oneLine : oneLine.substring(0, MAX_TEXT) + "...";
    }
}
