package ai.piopiy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.interruptions.MinWordsInterruptionStrategy;
import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.runtime.pipeline.CallOutcome;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.ToolDefinition;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.vad.VadParams;
import ai.piopiy.testing.FakeLlmService;
import ai.piopiy.testing.FakeLlmService.Rule;
import ai.piopiy.testing.FakeSttService;
import ai.piopiy.testing.FakeTtsService;
import ai.piopiy.testing.SimulatedCaller;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A whole simulated call through the real engine: greeting, a turn that calls a tool (whose handler
 * switches the TTS voice through a ServiceSwitcher), a long answer the caller barges into, the turn
 * after the barge-in, a goodbye, and the caller hanging up.
 */
class VoiceAgentCallTest {

    static final VadParams FAST_VAD = new VadParams(0.7, 0.06, 0.3, 0.6);
    static final String STORY = "Once upon a time there was a tiny robot. It lived in a quiet town by the sea. "
            + "Every morning it walked along the shore. It collected shells and counted the waves. "
            + "One day it found an old map in the sand.";

    @Test
    @Timeout(40)
    void wholeCall() throws Exception {
        FakeSttService stt = new FakeSttService(List.of(
                "what is the weather in london", "tell me a long story", "wait stop please", "thank you goodbye"), 150, 80);
        FakeLlmService llm = new FakeLlmService("fake-llm", List.of(
                Rule.tool("weather", "get_weather", "{\"city\":\"London\"}", result -> "The weather in London is " + (result.contains("sunny") ? "sunny." : "unknown.")),
                Rule.say("story", STORY),
                Rule.say("stop", "Sure, I will stop."),
                Rule.say("goodbye", "You are welcome. Goodbye!")), "Sorry?", 5);
        FakeTtsService english = new FakeTtsService("english", 440, 80, 30, true);
        FakeTtsService spanish = new FakeTtsService("spanish", 1000, 80, 30, 15, false);
        ServiceSwitcher<TtsService> tts = new ServiceSwitcher<>(Map.of("english", english, "spanish", spanish), "english");

        SimulatedCaller caller = new SimulatedCaller(AudioFormat.PCM16_16K, AudioFormat.PCM16_8K)
                .pause(200).awaitBotQuiet(400)
                .speak(900).awaitBotSpeaking(100).awaitBotQuiet(400)
                .speak(600).awaitBotSpeaking(600).speak(500)
                .awaitBotSpeaking(100).awaitBotQuiet(400)
                .speak(600).awaitBotSpeaking(100).awaitBotQuiet(400)
                .hangUp();

        List<String> botSaid = new CopyOnWriteArrayList<>();
        AtomicLong interruptionDecided = new AtomicLong();
        AtomicLong lastAudioBeforeInterruption = new AtomicLong();
        VoiceAgent agent = new VoiceAgent("You are a test agent.", "Hello! How can I help?")
                .vadParams(FAST_VAD)
                .greetingDelay(Duration.ofMillis(100))
                .action(stt, llm, tts, true, true, new MinWordsInterruptionStrategy(2))
                .transport(caller)
                .registerTool(new ToolDefinition("get_weather", "Weather in a city", "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"),
                        args -> {
                            tts.switchTo("spanish");
                            return "{\"city\":\"London\",\"sky\":\"sunny\"}";
                        })
                .addEventListener(new CallEventListener() {
                    @Override
                    public void botSaid(String text, boolean interrupted, long atNanos) {
                        botSaid.add((interrupted ? "[cut] " : "") + text);
                    }

                    @Override
                    public void interrupted(long decidedAtNanos, long lastAudioNanos) {
                        interruptionDecided.set(decidedAtNanos);
                        lastAudioBeforeInterruption.set(lastAudioNanos);
                    }
                });

        CallOutcome outcome = agent.start();

        assertThat(outcome.cancelled()).isTrue();
        assertThat(outcome.reason()).contains("caller left");
        assertThat(caller.isClosed()).isTrue();

        List<LlmMessage> conversation = agent.conversation();
        assertThat(conversation.getFirst()).isEqualTo(LlmMessage.system("You are a test agent."));
        assertThat(conversation.get(1)).isEqualTo(LlmMessage.assistant("Hello! How can I help?"));
        assertThat(conversation.get(2)).isEqualTo(LlmMessage.user("what is the weather in london"));
        // the tool call and its result, then the answer built from it
        assertThat(conversation.get(3)).isInstanceOfSatisfying(LlmMessage.AssistantMessage.class,
                m -> assertThat(m.toolCalls()).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("get_weather")));
        assertThat(conversation.get(4)).isInstanceOfSatisfying(LlmMessage.ToolResultMessage.class,
                m -> assertThat(m.content()).contains("sunny"));
        assertThat(conversation.get(5)).isEqualTo(LlmMessage.assistant("The weather in London is sunny."));
        assertThat(conversation.get(6)).isEqualTo(LlmMessage.user("tell me a long story"));
        // the caller heard only part of the story: the context keeps that part, and no more
        assertThat(conversation.get(7)).isInstanceOfSatisfying(LlmMessage.AssistantMessage.class, m -> {
            assertThat(m.content()).isNotBlank();
            assertThat(STORY).startsWith(m.content());
            assertThat(m.content().length()).isLessThan(STORY.length());
        });
        assertThat(conversation.get(8)).isEqualTo(LlmMessage.user("wait stop please"));
        assertThat(conversation.get(9)).isEqualTo(LlmMessage.assistant("Sure, I will stop."));
        assertThat(conversation.get(10)).isEqualTo(LlmMessage.user("thank you goodbye"));
        assertThat(conversation.get(11)).isEqualTo(LlmMessage.assistant("You are welcome. Goodbye!"));
        assertThat(conversation).hasSize(12);
        assertThat(botSaid).anyMatch(s -> s.startsWith("[cut] Once upon a time"));

        // the switch: the greeting in the first voice, everything after the tool in the second
        assertThat(english.texts).containsExactly("Hello! How can I help?");
        assertThat(spanish.texts).contains("The weather in London is sunny.", "You are welcome.", "Goodbye!");
        assertThat(caller.received.getFirst().frequencyHint()).isBetween(380.0, 500.0);
        assertThat(caller.received.getLast().frequencyHint()).isBetween(900.0, 1100.0);

        // the barge-in: the TTS was cancelled and no bot audio went out after the decision
        assertThat(spanish.cancelled.get()).isGreaterThanOrEqualTo(1);
        long decided = interruptionDecided.get();
        assertThat(decided).isPositive();
        long framesAfterDecision = caller.received.stream()
                .filter(r -> r.atNanos() > decided && r.atNanos() < decided + 200_000_000L).count();
        assertThat(framesAfterDecision).isZero();
        assertThat(decided - lastAudioBeforeInterruption.get()).isLessThanOrEqualTo(20_000_000L + 5_000_000L);
        assertThat(caller.clears).isGreaterThanOrEqualTo(1);

        assertThat(stt.streamsOpened.get()).isEqualTo(1);
        assertThat(stt.streamsClosed.get()).isEqualTo(1);
        assertThat(english.sessionsClosed.get() + spanish.sessionsClosed.get()).isEqualTo(2);
    }
}
