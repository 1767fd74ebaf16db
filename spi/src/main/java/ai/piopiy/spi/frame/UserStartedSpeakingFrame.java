package ai.piopiy.spi.frame;

/** The caller started speaking (emitted by the VAD); {@code atNanos} is the engine clock. */
public record UserStartedSpeakingFrame(long atNanos) implements SystemFrame {}
