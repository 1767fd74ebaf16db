package ai.piopiy.spi.llm;

import ai.piopiy.spi.Service;

/** A streaming chat LLM with tool calling. Shared by all calls; each request is its own stream. */
public interface LlmService extends Service {

    /**
     * Starts one completion. Returns at once; text, tool calls and usage arrive on the listener from
     * the provider's thread, then exactly one of {@link LlmListener#onComplete()} or
     * {@link LlmListener#onError}. After {@link LlmStream#cancel()} the listener may get nothing more.
     */
    LlmStream stream(LlmRequest request, LlmListener listener);
}
