package ai.piopiy.runtime.context;

import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversation of one call, as the LLM sees it: instructions, what the caller said, what the bot
 * said as the caller heard it, tool calls and their results. The user and assistant aggregators and
 * the LLM processor of one call share it; they all run on the call's lane, so it needs no lock — but
 * it must not be touched from other threads while the call runs (use {@link #snapshot()}).
 */
public final class ConversationContext {

    private final List<LlmMessage> messages = new ArrayList<>();

    public ConversationContext() {}

    public ConversationContext(List<LlmMessage> initial) {
        messages.addAll(initial);
    }

    /** Sets (or replaces) the leading system message. */
    public void setInstructions(String instructions) {
        if (!messages.isEmpty() && messages.getFirst() instanceof LlmMessage.SystemMessage) {
            messages.set(0, LlmMessage.system(instructions));
        } else {
            messages.addFirst(LlmMessage.system(instructions));
        }
    }

    public void add(LlmMessage message) {
        messages.add(message);
    }

    public void addUser(String text) {
        // two user turns in a row (the bot's answer was cut before a word was heard) read as one
        if (!messages.isEmpty() && messages.getLast() instanceof LlmMessage.UserMessage(String previous)) {
            messages.set(messages.size() - 1, LlmMessage.user(previous + " " + text));
        } else {
            messages.add(LlmMessage.user(text));
        }
    }

    public void addAssistant(String text) {
        messages.add(LlmMessage.assistant(text));
    }

    public void addToolCalls(String text, List<ToolCall> calls) {
        messages.add(new LlmMessage.AssistantMessage(text, calls));
    }

    public void addToolResult(ToolCall call, String resultJson) {
        messages.add(new LlmMessage.ToolResultMessage(call.id(), call.name(), resultJson));
    }

    /** An immutable copy, safe to hand to another thread. */
    public List<LlmMessage> snapshot() {
        return List.copyOf(messages);
    }

    public int size() {
        return messages.size();
    }

    public LlmMessage last() {
        return messages.isEmpty() ? null : messages.getLast();
    }
}
