package ai.piopiy.spi.frame;

/** The caller stopped speaking (emitted by the VAD after the stop delay); {@code atNanos} is the engine clock. */
public record UserStoppedSpeakingFrame(long atNanos) implements SystemFrame {}
