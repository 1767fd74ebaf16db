package ai.piopiy.spi.llm;

import ai.piopiy.spi.ServiceException;

/** Receives one completion's output, from the provider's thread, one call at a time. */
public interface LlmListener {

    /** A piece of the answer's text. */
    void onText(String text);

    /** A complete tool call (a provider assembles streamed argument deltas before reporting it). */
    void onToolCall(ToolCall call);

    default void onUsage(TokenUsage usage) {}

    /** The answer is complete. */
    void onComplete();

    void onError(ServiceException error);
}
