package ai.piopiy.spi.frame;

/** Speak this text as it is (a greeting, a goodbye), without asking the LLM. */
public record SpeakFrame(String text) implements DataFrame {}
