package ai.piopiy.spi.frame;

import ai.piopiy.spi.llm.LlmMessage;
import java.util.List;

/** Asks the LLM to answer: a snapshot of the conversation so far. */
public record LlmContextFrame(List<LlmMessage> messages) implements DataFrame {
    public LlmContextFrame {
        messages = List.copyOf(messages);
    }
}
