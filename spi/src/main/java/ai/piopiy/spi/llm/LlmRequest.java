package ai.piopiy.spi.llm;

import java.util.List;

/** The conversation to answer and the tools the model may call. */
public record LlmRequest(List<LlmMessage> messages, List<ToolDefinition> tools) {
    public LlmRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }
}
