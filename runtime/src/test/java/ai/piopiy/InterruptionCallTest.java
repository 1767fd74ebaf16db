package ai.piopiy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.interruptions.MinDurationInterruptionStrategy;
import ai.piopiy.interruptions.MinWordsInterruptionStrategy;
import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.interruption.InterruptionStrategy;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.testing.FakeLlmService;
import ai.piopiy.testing.FakeSttService;
import ai.piopiy.testing.FakeTtsService;
import ai.piopiy.testing.SimulatedCaller;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The caller talks over a long bot answer; whether that stops the bot depends on the strategy.
 * Measures the reaction time: from the decision to the last bot audio frame sent.
 */
@Timeout(30)
class InterruptionCallTest {

    static final String LONG = "I will now read you the whole list of our opening hours for every branch in the city, "
            + "starting with the main office downtown and then all the others one by one until the end.";

    record Result(boolean interrupted, List<LlmMessage> conversation, long reactionNanos, int framesAfterDecision) {}

    Result call(String callerWords, int speakMillis, boolean allowInterruptions, InterruptionStrategy strategy) throws Exception {
        return call(callerWords, speakMillis, allowInterruptions, strategy, false);
    }

    Result call(String callerWords, int speakMillis, boolean allowInterruptions, InterruptionStrategy strategy,
                boolean expectAnswerAfterBargeIn) throws Exception {
        FakeSttService stt = new FakeSttService(List.of(callerWords), 150, 60);
        FakeLlmService llm = new FakeLlmService("llm", List.of(), "Okay.", 5);
        FakeTtsService tts = new FakeTtsService("tts", 440, 80, 20, 10, true);
        SimulatedCaller caller = new SimulatedCaller(AudioFormat.PCM16_16K, AudioFormat.PCM16_8K)
                .awaitBotSpeaking(400).speak(speakMillis);
        if (expectAnswerAfterBargeIn) {
            caller.awaitBotSpeaking(100); // the answer to what the caller said
        }
        caller.awaitBotQuiet(500).hangUp();
        AtomicInteger interruptions = new AtomicInteger();
        AtomicLong decided = new AtomicLong();
        AtomicLong lastAudio = new AtomicLong();
        VoiceAgent agent = new VoiceAgent("test", LONG)
                .vadParams(VoiceAgentCallTest.FAST_VAD)
                .greetingDelay(Duration.ZERO)
                .action(stt, llm, tts, true, allowInterruptions, strategy)
                .transport(caller)
                .addEventListener(new CallEventListener() {
                    @Override
                    public void interrupted(long decidedAtNanos, long lastAudioNanos) {
                        interruptions.incrementAndGet();
                        decided.set(decidedAtNanos);
                        lastAudio.set(lastAudioNanos);
                    }
                });
        agent.start();
        int after = (int) caller.received.stream()
                .filter(r -> decided.get() != 0 && r.atNanos() > decided.get() && r.atNanos() < decided.get() + 150_000_000L).count();
        return new Result(interruptions.get() > 0, agent.conversation(), decided.get() - lastAudio.get(), after);
    }

    @Test
    void minWordsTwoStopsTheBotAfterTwoWords() throws Exception {
        Result r = call("wait stop please", 600, true, new MinWordsInterruptionStrategy(2), true);
        assertThat(r.interrupted()).isTrue();
        // no bot audio leaves after the decision: the bot is silent from the next frame on
        assertThat(r.framesAfterDecision()).isZero();
        // the last frame went out at most one frame period (plus timer jitter on a loaded machine) before the decision
        assertThat(r.reactionNanos()).isBetween(0L, 20_000_000L + 80_000_000L);
        System.out.printf("interruption: 0 frames sent after the decision; last frame sent %.2f ms before it%n", r.reactionNanos() / 1e6);
        LlmMessage heard = r.conversation().get(1);
        assertThat(heard).isInstanceOf(LlmMessage.AssistantMessage.class);
        assertThat(LONG).startsWith(((LlmMessage.AssistantMessage) heard).content());
        assertThat(((LlmMessage.AssistantMessage) heard).content().length()).isLessThan(LONG.length());
        assertThat(r.conversation().get(2)).isEqualTo(LlmMessage.user("wait stop please"));
    }

    @Test
    void minWordsFiveLetsTheBotFinish() throws Exception {
        Result r = call("wait stop please", 600, true, new MinWordsInterruptionStrategy(5));
        assertThat(r.interrupted()).isFalse();
        assertThat(r.conversation().get(1)).isEqualTo(LlmMessage.assistant(LONG));
        // three words were not a barge-in under MinWords(5): not a turn either
        assertThat(r.conversation()).hasSize(2);
    }

    @Test
    void minDurationInterruptsOnLongEnoughSpeech() throws Exception {
        Result r = call("wait stop please", 800, true, new MinDurationInterruptionStrategy(0.5), true);
        assertThat(r.interrupted()).isTrue();
        assertThat(r.framesAfterDecision()).isZero();
        assertThat(r.conversation()).endsWith(LlmMessage.user("wait stop please"), LlmMessage.assistant("Okay."));
    }

    @Test
    void minDurationIgnoresShortSpeech() throws Exception {
        Result r = call("wait", 300, true, new MinDurationInterruptionStrategy(0.5));
        assertThat(r.interrupted()).isFalse();
        assertThat(r.conversation().get(1)).isEqualTo(LlmMessage.assistant(LONG));
    }

    @Test
    void backchannelsDoNotInterrupt() throws Exception {
        Result r = call("uh-huh yeah okay", 600, true, new MinWordsInterruptionStrategy(1));
        assertThat(r.interrupted()).isFalse();
        assertThat(r.conversation()).containsExactly(LlmMessage.system("test"), LlmMessage.assistant(LONG));
    }

    @Test
    void aCoughWithNoWordsDoesNotInterrupt() throws Exception {
        Result r = call("", 400, true, new MinWordsInterruptionStrategy(1));
        assertThat(r.interrupted()).isFalse();
        assertThat(r.conversation()).containsExactly(LlmMessage.system("test"), LlmMessage.assistant(LONG));
    }

    @Test
    void vadStartInterruptsWhenNoStrategyIsGiven() throws Exception {
        Result r = call("wait", 300, true, null, true);
        assertThat(r.interrupted()).isTrue();
        assertThat(r.conversation()).endsWith(LlmMessage.user("wait"), LlmMessage.assistant("Okay."));
    }

    @Test
    void withoutInterruptionsTheBotFinishesAndTheCallerIsAnsweredNext() throws Exception {
        Result r = call("what are the hours", 700, false, null);
        assertThat(r.interrupted()).isFalse();
        assertThat(r.conversation()).containsExactly(LlmMessage.system("test"), LlmMessage.assistant(LONG),
                LlmMessage.user("what are the hours"), LlmMessage.assistant("Okay."));
    }
}
