package ai.piopiy.spi.frame;

/** A final transcript of a stretch of the caller's speech. */
public record TranscriptionFrame(String text, String language, long atNanos) implements DataFrame {}
