package ai.piopiy.spi.frame;

/** The bot fell silent: its last audio was sent, or an interruption cut it; {@code atNanos} is the engine clock. */
public record BotStoppedSpeakingFrame(long atNanos) implements SystemFrame {}
