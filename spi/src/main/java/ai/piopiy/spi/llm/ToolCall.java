package ai.piopiy.spi.llm;

import static java.util.Objects.requireNonNull;

/** A complete tool call the model asked for; {@code argumentsJson} is a JSON object. */
public record ToolCall(String id, String name, String argumentsJson) {
    public ToolCall {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(argumentsJson, "argumentsJson is null");
    }
}
