package ai.piopiy.plugin.ttswebsocket;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.audio.Pcm16;
import org.junit.jupiter.api.Test;

class WireAudioTest {

    private static final int[] RATES = {8_000, 16_000, 24_000, 48_000};

    @Test
    void asksForTheSessionRateOrTheNextHigherOrTheHighest() {
        assertThat(WireAudio.offeredRate(RATES, 16_000)).isEqualTo(16_000);
        assertThat(WireAudio.offeredRate(RATES, 22_050)).isEqualTo(24_000);
        assertThat(WireAudio.offeredRate(RATES, 4_000)).isEqualTo(8_000);
        assertThat(WireAudio.offeredRate(RATES, 96_000)).isEqualTo(48_000);
    }

    @Test
    void expandsEveryMulawByteIntoALittleEndianSample() {
        byte[] ulaw = new byte[256];
        for (int i = 0; i < ulaw.length; i++) {
            ulaw[i] = (byte) i;
        }
        byte[] pcm = WireAudio.ulawToPcm16(ulaw);
        assertThat(pcm).hasSize(512);
        for (int i = 0; i < ulaw.length; i++) {
            assertThat(Pcm16.sample(pcm, i)).isEqualTo(Pcm16.ulawToLinear(ulaw[i]));
        }
        assertThat(Pcm16.sample(WireAudio.ulawToPcm16(new byte[] {(byte) 0xFF}), 0)).isZero(); // μ-law silence
    }
}
