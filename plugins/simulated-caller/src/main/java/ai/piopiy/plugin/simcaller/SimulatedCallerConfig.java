package ai.piopiy.plugin.simcaller;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The simulated caller's script and voice.
 *
 * @param lines what the caller says, in order
 * @param voice the flite voice ({@code rms} by default: Debian's pocketsphinx recognises it well)
 * @param inputRate the rate the caller's audio reaches the pipeline at (the Python SDK's 16 kHz)
 * @param outputRate the rate the bot's audio is expected at (the SDK's 8 kHz telephony)
 * @param hangUpAfterMillis after the last line, hang up once the bot has been quiet this long
 * @param maxCallMillis hang up after this long whatever happens (a safety net for demos and tests)
 * @param flite the flite binary
 */
public record SimulatedCallerConfig(List<CallerLine> lines, String voice, int inputRate, int outputRate,
                                    int hangUpAfterMillis, int maxCallMillis, String flite) {

    public SimulatedCallerConfig {
        lines = List.copyOf(lines);
        requireNonNull(voice, "voice is null");
        requireNonNull(flite, "flite is null");
    }

    public static SimulatedCallerConfig of(List<CallerLine> lines) {
        return new SimulatedCallerConfig(lines, "rms", 16_000, 8_000, 1_500, 120_000, "flite");
    }
}
