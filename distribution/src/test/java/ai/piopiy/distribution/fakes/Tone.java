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

    /**
     * The power at {@code hz} in {@code samples[from, to)}: Goertzel over 20 ms Hann-windowed blocks,
     * summed. Blocks, because a call recording places each 20 ms frame at the time it was sent, so the
     * phase of a tone jumps from frame to frame; the window keeps a neighbouring pitch out.
     */
    public static double power(short[] samples, int from, int to, int sampleRate, double hz) {
        int block = sampleRate / 50;
        double coefficient = 2 * Math.cos(2 * Math.PI * hz / sampleRate);
        double total = 0;
        for (int start = Math.max(0, from); start + block <= Math.min(samples.length, to); start += block) {
            double previous = 0;
            double beforePrevious = 0;
            for (int i = 0; i < block; i++) {
                double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (block - 1));
                double s = hann * samples[start + i] + coefficient * previous - beforePrevious;
                beforePrevious = previous;
                previous = s;
            }
            total += previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
        }
        return total;
    }
}
