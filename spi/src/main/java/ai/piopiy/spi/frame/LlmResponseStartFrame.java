package ai.piopiy.spi.frame;

/** An LLM response begins; {@code responseId} ties its text, audio and end together. */
public record LlmResponseStartFrame(long responseId) implements DataFrame {}
