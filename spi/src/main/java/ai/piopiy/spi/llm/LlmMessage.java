package ai.piopiy.spi.llm;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** One message of a conversation, in the shape every chat API shares. */
public sealed interface LlmMessage {

    String role();

    static LlmMessage system(String content) {
        return new SystemMessage(content);
    }

    static LlmMessage user(String content) {
        return new UserMessage(content);
    }

    static LlmMessage assistant(String content) {
        return new AssistantMessage(content, List.of());
    }

    /** Instructions for the model. */
    record SystemMessage(String content) implements LlmMessage {
        public SystemMessage {
            requireNonNull(content, "content is null");
        }

        @Override
        public String role() {
            return "system";
        }
    }

    /** What the caller said. */
    record UserMessage(String content) implements LlmMessage {
        public UserMessage {
            requireNonNull(content, "content is null");
        }

        @Override
        public String role() {
            return "user";
        }
    }

    /** What the bot said (as heard by the caller), and the tools it asked for. */
    record AssistantMessage(String content, List<ToolCall> toolCalls) implements LlmMessage {
        public AssistantMessage {
            requireNonNull(content, "content is null");
            toolCalls = List.copyOf(toolCalls);
        }

        @Override
        public String role() {
            return "assistant";
        }
    }

    /** A tool's result, answering the call with {@code toolCallId}. {@code content} is JSON. */
    record ToolResultMessage(String toolCallId, String toolName, String content) implements LlmMessage {
        public ToolResultMessage {
            requireNonNull(toolCallId, "toolCallId is null");
            requireNonNull(toolName, "toolName is null");
            requireNonNull(content, "content is null");
        }

        @Override
        public String role() {
            return "tool";
        }
    }
}
