package ai.piopiy.interruptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class InterruptionStrategiesTest {

    @Test
    void minWordsCountsTheLatestInterimAndAccumulatesFinals() {
        MinWordsInterruptionStrategy s = new MinWordsInterruptionStrategy(3);
        s.appendText("wait", false);
        s.appendText("wait a", false); // replaces, does not add
        assertThat(s.shouldInterrupt()).isFalse();
        s.appendText("wait a second", true);
        assertThat(s.shouldInterrupt()).isTrue();
        s.reset();
        assertThat(s.shouldInterrupt()).isFalse();
        s.appendText("no", true);
        s.appendText("stop it", false);
        assertThat(s.shouldInterrupt()).isTrue();
    }

    @Test
    void backchannelsNeverCount() {
        MinWordsInterruptionStrategy s = new MinWordsInterruptionStrategy(1);
        s.appendText("uh-huh", true);
        s.appendText("Yeah, okay. Mm hmm... right", true);
        assertThat(s.shouldInterrupt()).isFalse();
        s.appendText("yeah but wait", false);
        assertThat(s.shouldInterrupt()).isTrue();
        assertThat(new MinWordsInterruptionStrategy(1, Set.of()).countWords("yeah okay")).isEqualTo(2);
        assertThat(s.countWords("   ")).isZero();
    }

    @Test
    void minDurationCountsSpeechAudio() {
        MinDurationInterruptionStrategy s = new MinDurationInterruptionStrategy(0.5);
        byte[] frame = new byte[640]; // 20 ms at 16 kHz
        for (int i = 0; i < 24; i++) {
            s.appendAudio(frame, 0, frame.length, 16_000);
        }
        assertThat(s.shouldInterrupt()).isFalse();
        s.appendAudio(frame, 0, frame.length, 16_000);
        assertThat(s.shouldInterrupt()).isTrue();
        s.reset();
        assertThat(s.shouldInterrupt()).isFalse();
    }

    @Test
    void defaultsAndArgumentChecksMatchThePythonSdk() {
        assertThat(new MinWordsInterruptionStrategy().minWords()).isEqualTo(1);
        assertThat(new MinDurationInterruptionStrategy().minDuration()).isEqualTo(0.5);
        assertThatThrownBy(() -> new MinWordsInterruptionStrategy(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new MinDurationInterruptionStrategy(0)).hasMessageContaining("positive");
    }
}
