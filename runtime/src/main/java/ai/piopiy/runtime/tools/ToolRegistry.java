package ai.piopiy.runtime.tools;

import static java.util.Objects.requireNonNull;

import ai.piopiy.ToolHandler;
import ai.piopiy.spi.llm.ToolDefinition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tools an agent offers the LLM, with their handlers and the time each may take. */
public final class ToolRegistry {

    public record RegisteredTool(ToolDefinition definition, ToolHandler handler, Duration timeout) {
        public RegisteredTool {
            requireNonNull(definition, "definition is null");
            requireNonNull(handler, "handler is null");
            requireNonNull(timeout, "timeout is null");
        }
    }

    private final Map<String, RegisteredTool> tools = new LinkedHashMap<>();

    public synchronized void register(ToolDefinition definition, ToolHandler handler, Duration timeout) {
        if (tools.putIfAbsent(definition.name(), new RegisteredTool(definition, handler, timeout)) != null) {
            throw new IllegalArgumentException("a tool named '" + definition.name() + "' is already registered");
        }
    }

    public synchronized Optional<RegisteredTool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public synchronized List<ToolDefinition> definitions() {
        return tools.values().stream().map(RegisteredTool::definition).toList();
    }

    public synchronized boolean isEmpty() {
        return tools.isEmpty();
    }

    /** An immutable copy, so a call is not affected by tools registered after it started. */
    public synchronized ToolRegistry copy() {
        ToolRegistry c = new ToolRegistry();
        c.tools.putAll(tools);
        return c;
    }
}
