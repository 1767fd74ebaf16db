package ai.piopiy.spi.stt;

import static java.util.Objects.requireNonNull;

/**
 * A recognition result. An interim result ({@code isFinal == false}) replaces the previous interim
 * one for the same stretch of speech; a final one is settled.
 */
public record Transcript(String text, boolean isFinal, String language, double confidence) {
    public Transcript {
        requireNonNull(text, "text is null");
    }

    public static Transcript interim(String text) {
        return new Transcript(text, false, null, Double.NaN);
    }

    public static Transcript complete(String text) {
        return new Transcript(text, true, null, Double.NaN);
    }
}
