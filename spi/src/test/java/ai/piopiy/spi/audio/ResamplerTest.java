package ai.piopiy.spi.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    static byte[] tone(int rate, double freq, int amplitude, int samples) {
        byte[] pcm = new byte[samples * 2];
        for (int n = 0; n < samples; n++) {
            Pcm16.putSample(pcm, n, (short) Math.round(amplitude * Math.sin(2 * Math.PI * freq * n / rate)));
        }
        return pcm;
    }

    /** Resamples in 10 ms chunks, as a transport does, and returns the joined output. */
    static byte[] chunked(Resampler r, byte[] pcm, int inRate) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int chunk = inRate / 100 * 2;
        for (int off = 0; off < pcm.length; off += chunk) {
            out.writeBytes(r.process(pcm, off, Math.min(chunk, pcm.length - off)));
        }
        return out.toByteArray();
    }

    static double dominantFrequency(byte[] pcm, int rate) {
        int crossings = 0;
        int n = pcm.length / 2;
        for (int i = 1; i < n; i++) {
            if ((Pcm16.sample(pcm, i - 1) < 0) != (Pcm16.sample(pcm, i) < 0)) {
                crossings++;
            }
        }
        return crossings / 2.0 * rate / n;
    }

    @Test
    void keepsLengthPitchAndLevelAcrossCommonRates() {
        int[][] pairs = {{48_000, 16_000}, {16_000, 8_000}, {8_000, 16_000}, {44_100, 16_000}, {16_000, 48_000}, {24_000, 8_000}};
        for (int[] p : pairs) {
            int in = p[0];
            int out = p[1];
            byte[] input = tone(in, 440, 10_000, in); // one second
            byte[] output = chunked(new Resampler(in, out), input, in);
            assertThat(output.length / 2).as("%d -> %d length", in, out).isBetween(out - 2, out + 2);
            // skip the filter's start-up, then compare pitch and level
            byte[] steady = java.util.Arrays.copyOfRange(output, out / 10 * 2, output.length);
            assertThat(dominantFrequency(steady, out)).as("%d -> %d pitch", in, out).isBetween(430.0, 450.0);
            assertThat(Pcm16.rms(steady)).as("%d -> %d level", in, out).isBetween(10_000 / Math.sqrt(2) * 0.95, 10_000 / Math.sqrt(2) * 1.05);
        }
    }

    @Test
    void removesWhatTheLowerRateCannotCarry() {
        // 6 kHz cannot exist at 8 kHz: a sample dropper would alias it to 2 kHz, a proper filter removes it
        byte[] input = tone(16_000, 6_000, 10_000, 16_000);
        byte[] output = chunked(new Resampler(16_000, 8_000), input, 16_000);
        assertThat(Pcm16.rms(output)).isLessThan(10_000 * 0.05);
    }

    @Test
    void sameRateIsAPlainCopy() {
        byte[] input = tone(16_000, 440, 1000, 320);
        Resampler r = new Resampler(16_000, 16_000);
        assertThat(r.isPassThrough()).isTrue();
        assertThat(r.process(input)).isEqualTo(input).isNotSameAs(input);
    }
}
