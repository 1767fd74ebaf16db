package ai.piopiy.plugin.llmhttp;

import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;

/**
 * Where an {@link SseDecoder} puts what it decoded. Backed by the stream, which forwards to the
 * listener unless the stream was cancelled, and measures time to first byte on the first output.
 */
public interface LlmOutput {

    void text(String text);

    void toolCall(ToolCall call);

    void usage(TokenUsage usage);
}
