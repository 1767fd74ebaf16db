package ai.piopiy.spi.frame;

/** The LLM response {@code responseId} is complete (all its text has been pushed). */
public record LlmResponseEndFrame(long responseId) implements DataFrame {}
