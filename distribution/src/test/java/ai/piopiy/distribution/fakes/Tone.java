package ai.piopiy.distribution.fakes;

import ai.piopiy.spi.audio.Pcm16;

/**
 * The fake TTS servers' voices: each speaks a sine tone of its own pitch, 100 ms per word, so the
 * recording of a call tells which provider the caller heard when.
 */
public final class Tone {

    private static final double AMPLITUDE = 6000;

    private Tone() {}

    /** PCM16 of {@code hz} at {@code sampleRate}, 100 ms for each word of {@code text}. */
    public static byte[] forWords(String text, double hz, int sampleRate) {
        int words = text.isBlank() ? 0 : text.strip().split("\\s+").length;
        byte[] pcm = new byte[sampleRate / 10 * words * 2];
        for (int n = 0; n < pcm.length / 2; n++) {
            Pcm16.putSample(pcm, n, (short) (AMPLITUDE * Math.sin(2 * Math.PI * hz * n / sampleRate)));
        }
        return pcm;
    }

    /** The share of {@code samples[from, to)}'s energy that is at {@code hz} (Goertzel), 0..1. */
    public static double share(short[] samples, int from, int to, int sampleRate, double hz) {
        from = Math.max(0, from);
        to = Math.min(samples.length, to);
        double coefficient = 2 * Math.cos(2 * Math.PI * hz / sampleRate);
        double previous = 0;
        double beforePrevious = 0;
        double energy = 0;
        for (int i = from; i < to; i++) {
            double s = samples[i] + coefficient * previous - beforePrevious;
            beforePrevious = previous;
            previous = s;
            energy += (double) samples[i] * samples[i];
        }
        double power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
        // a pure tone's Goertzel power is N * energy / 2
        return energy == 0 ? 0 : 2 * power / ((to - from) * energy);
    }
}
