package ai.piopiy.spi.llm;

import static java.util.Objects.requireNonNull;

/** A tool the model may call: its name, what it does, and its parameters as a JSON Schema object. */
public record ToolDefinition(String name, String description, String parametersJsonSchema) {
    public ToolDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(parametersJsonSchema, "parametersJsonSchema is null");
    }
}
