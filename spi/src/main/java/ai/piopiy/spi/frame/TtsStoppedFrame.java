package ai.piopiy.spi.frame;

/** The utterance's audio is complete. */
public record TtsStoppedFrame(long utteranceId) implements DataFrame {}
