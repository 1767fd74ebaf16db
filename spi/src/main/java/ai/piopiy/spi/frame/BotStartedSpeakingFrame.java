package ai.piopiy.spi.frame;

/** The first bot audio left the output transport; {@code atNanos} is the engine clock. */
public record BotStartedSpeakingFrame(long atNanos) implements SystemFrame {}
