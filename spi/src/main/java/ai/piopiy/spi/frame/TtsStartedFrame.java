package ai.piopiy.spi.frame;

/** Audio for an utterance follows. */
public record TtsStartedFrame(long utteranceId) implements DataFrame {}
