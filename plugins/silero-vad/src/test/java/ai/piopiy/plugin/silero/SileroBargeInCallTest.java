package ai.piopiy.plugin.silero;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.VoiceAgent;
import ai.piopiy.interruptions.MinWordsInterruptionStrategy;
import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.audio.Pcm16;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.vad.VadParams;
import ai.piopiy.testing.FakeLlmService;
import ai.piopiy.testing.FakeSttService;
import ai.piopiy.testing.FakeTtsService;
import ai.piopiy.testing.SimulatedCaller;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A simulated call on real speech: the caller's lines are espeak-ng recordings, Silero decides when
 * the caller speaks (with the runtime's state machine and Pipecat's default timings), and the caller
 * barges into a long answer. The VAD's turn boundaries are checked against where the speech really is.
 */
@Timeout(60)
class SileroBargeInCallTest {

    static final String LONG = "Our opening hours are nine to five on weekdays and ten to two on Saturdays, "
            + "and on Sundays and public holidays every branch is closed, except the main office downtown.";

    static SileroVadService silero;

    @BeforeAll
    static void load() {
        silero = new SileroVadService(SileroVadConfig.DEFAULTS);
    }

    @AfterAll
    static void close() {
        silero.close();
    }

    static byte[] pcm(short[] samples) {
        return Pcm16.fromShorts(samples, samples.length);
    }

    @Test
    void turnsFollowRealSpeechAndTwoWordsStopTheBot() throws Exception {
        byte[] question = pcm(SpeechFixture.speak("What are your opening hours?", 16_000));
        byte[] bargeIn = pcm(SpeechFixture.speak("Wait, stop please.", 16_000));
        byte[] silence = new byte[16_000 / 1000 * 2 * 700];

        FakeSttService stt = new FakeSttService(List.of("what are your opening hours", "wait stop please"), 150, 80);
        FakeLlmService llm = new FakeLlmService("llm", List.of(FakeLlmService.Rule.say("hours", LONG),
                FakeLlmService.Rule.say("stop", "Sure.")), "?", 5);
        FakeTtsService tts = new FakeTtsService("tts", 440, 80, 30, 10, true);
        SimulatedCaller caller = new SimulatedCaller(AudioFormat.PCM16_16K, AudioFormat.PCM16_8K)
                .play(silence).play(question).awaitBotSpeaking(800).play(bargeIn)
                .awaitBotSpeaking(100).awaitBotQuiet(600).hangUp();

        List<long[]> vadTurns = new CopyOnWriteArrayList<>();
        long[] open = new long[1];
        List<Boolean> interrupted = new CopyOnWriteArrayList<>();
        VoiceAgent agent = new VoiceAgent("test")
                .vad(silero, VadParams.DEFAULTS)
                .action(stt, llm, tts, true, true, new MinWordsInterruptionStrategy(2))
                .transport(caller)
                .addEventListener(new CallEventListener() {
                    @Override
                    public void userStartedSpeaking(long atNanos) {
                        open[0] = atNanos;
                    }

                    @Override
                    public void userStoppedSpeaking(long atNanos) {
                        vadTurns.add(new long[] {open[0], atNanos});
                    }

                    @Override
                    public void interrupted(long decidedAtNanos, long lastAudioNanos) {
                        interrupted.add(true);
                    }
                });
        agent.start();

        assertThat(interrupted).hasSize(1);
        List<LlmMessage> conversation = agent.conversation();
        assertThat(conversation.get(1)).isEqualTo(LlmMessage.user("what are your opening hours"));
        assertThat(((LlmMessage.AssistantMessage) conversation.get(2)).content()).isNotBlank().isNotEqualTo(LONG);
        assertThat(LONG).startsWith(((LlmMessage.AssistantMessage) conversation.get(2)).content());
        assertThat(conversation.get(3)).isEqualTo(LlmMessage.user("wait stop please"));

        // Silero's turns: one per spoken line, started 0.2 s into the speech and stopped 0.8 s after it
        assertThat(vadTurns).hasSize(2);
        for (int i = 0; i < 2; i++) {
            long[] spoken = caller.spoke.get(i + 1); // [0] is the leading silence
            long startError = vadTurns.get(i)[0] - (spoken[0] + 200_000_000L);
            long stopError = vadTurns.get(i)[1] - (spoken[1] + 800_000_000L);
            System.out.printf("line %d: VAD start %+.0f ms, stop %+.0f ms from the expected instants%n", i + 1, startError / 1e6, stopError / 1e6);
            // within a Silero window (32 ms) or so, plus the timers
            assertThat(startError).isBetween(-100_000_000L, 150_000_000L);
            assertThat(stopError).isBetween(-150_000_000L, 150_000_000L);
        }
    }
}
