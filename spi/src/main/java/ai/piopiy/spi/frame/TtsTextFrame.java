package ai.piopiy.spi.frame;

/**
 * Text the bot says, placed in the stream at the point of the audio where it is spoken. The output
 * transport lets it pass only once the audio before it has been sent, so downstream of the output
 * it means "the caller has heard this".
 */
public record TtsTextFrame(String text) implements DataFrame {}
