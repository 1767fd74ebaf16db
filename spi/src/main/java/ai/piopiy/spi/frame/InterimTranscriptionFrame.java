package ai.piopiy.spi.frame;

/** A partial transcript that may still change; each interim replaces the previous one. */
public record InterimTranscriptionFrame(String text, String language, long atNanos) implements DataFrame {}
