package ai.piopiy.runtime.vad;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.vad.VadParams;
import ai.piopiy.spi.vad.VadSession;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnergyVadTest {

    static short[] window(int n, double freq, int amplitude, double noise, Random random) {
        short[] w = new short[n];
        for (int i = 0; i < n; i++) {
            w[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * freq * i / 16000) + noise * random.nextGaussian());
        }
        return w;
    }

    @Test
    void speechAboveSteadyLineNoiseIsSpeechAndTheNoiseIsNot() {
        VadSession vad = new EnergyVadService().openSession(16_000);
        Random random = new Random(7);
        float noise = 0;
        for (int i = 0; i < 100; i++) {
            noise = Math.max(noise, vad.speechProbability(window(320, 0, 0, 300, random)));
        }
        assertThat(noise).isLessThan(0.2f);
        float voice = vad.speechProbability(window(320, 200, 6000, 300, random));
        assertThat(voice).isGreaterThan(0.9f);
    }

    @Test
    void stateMachineNeedsStartAndStopTimes() {
        VadStateMachine m = new VadStateMachine(VadParams.DEFAULTS, 0.02); // 0.2 s start = 10 windows, 0.8 s stop = 40
        double loud = 8000;
        int startedAt = -1;
        for (int i = 0; i < 30 && startedAt < 0; i++) {
            if (m.onWindow(1f, loud) == VadStateMachine.Transition.STARTED) {
                startedAt = i;
            }
        }
        // ten confident windows; the smoothed volume clears 0.6 from the second loud window on
        assertThat(startedAt).isBetween(9, 11);
        int stoppedAt = -1;
        for (int i = 0; i < 60 && stoppedAt < 0; i++) {
            if (m.onWindow(0f, 0) == VadStateMachine.Transition.STOPPED) {
                stoppedAt = i;
            }
        }
        assertThat(stoppedAt).isEqualTo(39);
        // a short blip does not start a turn
        m.reset();
        for (int i = 0; i < 5; i++) {
            assertThat(m.onWindow(1f, loud)).isEqualTo(VadStateMachine.Transition.NONE);
        }
        assertThat(m.onWindow(0f, 0)).isEqualTo(VadStateMachine.Transition.NONE);
        assertThat(m.isSpeaking()).isFalse();
    }

    @Test
    void quietSpeechBelowTheMinimumVolumeIsIgnored() {
        VadStateMachine m = new VadStateMachine(VadParams.DEFAULTS, 0.02);
        for (int i = 0; i < 100; i++) {
            assertThat(m.onWindow(1f, 300)).isEqualTo(VadStateMachine.Transition.NONE); // about -40 dBFS
        }
        assertThat(VadStateMachine.volumeOf(32767)).isEqualTo(1.0);
        assertThat(VadStateMachine.volumeOf(0)).isZero();
    }
}
