package ai.piopiy.spi.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Pcm16Test {

    @Test
    void ulawRoundTripsWithinItsQuantisation() {
        for (int v = -32000; v <= 32000; v += 97) {
            short back = Pcm16.ulawToLinear(Pcm16.linearToUlaw((short) v));
            assertThat(Math.abs(back - v)).as("sample %d", v).isLessThanOrEqualTo(Math.max(8, Math.abs(v) / 16));
        }
        assertThat(Pcm16.ulawToLinear((byte) 0xff)).isEqualTo((short) 0);
    }

    @Test
    void rmsOfAFullScaleSquareWave() {
        byte[] pcm = new byte[320];
        for (int i = 0; i < 160; i++) {
            Pcm16.putSample(pcm, i, (short) (i % 2 == 0 ? 1000 : -1000));
        }
        assertThat(Pcm16.rms(pcm)).isEqualTo(1000.0);
        assertThat(AudioFormat.PCM16_16K.bytesPer(20)).isEqualTo(640);
        assertThat(AudioFormat.PCM16_8K.nanosOf(320)).isEqualTo(20_000_000L);
    }
}
