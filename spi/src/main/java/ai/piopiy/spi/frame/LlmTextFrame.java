package ai.piopiy.spi.frame;

/** A piece of streamed LLM text (a token or a few). */
public record LlmTextFrame(String text) implements DataFrame {}
