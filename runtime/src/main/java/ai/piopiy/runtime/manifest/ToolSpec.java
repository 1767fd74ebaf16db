package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.llm.ToolDefinition;
import java.time.Duration;
import java.util.Optional;

/**
 * A tool the model may call.
 *
 * @param parametersJsonSchema the tool's parameters, a JSON Schema object, as JSON text
 * @param handler the name of a built-in handler ({@link BuiltinTools}); empty when the application
 *     binds the handler ({@link CallAssembler.Builder#tool})
 * @param timeout how long the handler may run; empty for the engine's default (10 s)
 */
public record ToolSpec(String name, String description, String parametersJsonSchema, Optional<String> handler,
                       Optional<Duration> timeout) {

    public ToolSpec {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(parametersJsonSchema, "parametersJsonSchema is null");
        requireNonNull(handler, "handler is null");
        requireNonNull(timeout, "timeout is null");
    }

    public ToolDefinition definition() {
        return new ToolDefinition(name, description, parametersJsonSchema);
    }
}
