package ai.piopiy.spi.llm;

/** Tokens one request used, as the provider reported them. */
public record TokenUsage(int promptTokens, int completionTokens) {
    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
