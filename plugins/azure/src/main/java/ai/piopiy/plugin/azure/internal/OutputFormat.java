package ai.piopiy.plugin.azure.internal;

/**
 * The {@code X-Microsoft-OutputFormat} asked of the synthesis API for a session rate: headerless PCM16 at
 * the session's rate when the service offers it, else at the next higher rate it offers (the highest
 * above all), resampled to the session's.
 *
 * @param header the header's value ({@code raw-16khz-16bit-mono-pcm})
 * @param sampleRate the rate of the audio the service sends
 */
public record OutputFormat(String header, int sampleRate) {

    /** The raw PCM16 mono rates the service offers, ascending. */
    private static final int[] RATES = {8_000, 16_000, 22_050, 24_000, 44_100, 48_000};

    public static OutputFormat forSessionRate(int sessionRate) {
        for (int rate : RATES) {
            if (rate >= sessionRate) {
                return of(rate);
            }
        }
        return of(RATES[RATES.length - 1]);
    }

    private static OutputFormat of(int rate) {
        String name = rate % 1000 == 0 ? rate / 1000 + "khz" : rate + "hz";
        return new OutputFormat("raw-" + name + "-16bit-mono-pcm", rate);
    }
}
