package ai.piopiy.spi.vad;

/**
 * The voice-activity state machine's settings, with Pipecat's defaults.
 *
 * @param confidence speech probability at or above which a window counts as speech
 * @param startSeconds how long speech must last before "user started speaking"
 * @param stopSeconds how long quiet must last before "user stopped speaking"
 * @param minVolume the loudness (0..1, smoothed) below which a window is never speech
 */
public record VadParams(double confidence, double startSeconds, double stopSeconds, double minVolume) {

    public static final VadParams DEFAULTS = new VadParams(0.7, 0.2, 0.8, 0.6);

    public VadParams {
        check("confidence", confidence, 0, 1);
        check("startSeconds", startSeconds, 0, 10);
        check("stopSeconds", stopSeconds, 0, 10);
        check("minVolume", minVolume, 0, 1);
    }

    private static void check(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ", got " + value);
        }
    }
}
