package ai.piopiy.spi.tts;

/** A spoken word and when it starts and ends, in seconds from the start of its utterance's audio. */
public record WordTimestamp(String word, double startSeconds, double endSeconds) {}
