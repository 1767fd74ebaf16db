package ai.piopiy.examples;

import ai.piopiy.VoiceAgent;
import ai.piopiy.interruptions.MinWordsInterruptionStrategy;
import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.runtime.pipeline.CallOutcome;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.ToolDefinition;
import ai.piopiy.spi.vad.VadParams;
import ai.piopiy.testing.FakeLlmService;
import ai.piopiy.testing.FakeLlmService.Rule;
import ai.piopiy.testing.FakeSttService;
import ai.piopiy.testing.FakeTtsService;
import ai.piopiy.testing.SimulatedCaller;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One simulated phone call through the real engine, built with the library API exactly as an
 * application would build a real one (swap the scripted services for Deepgram, OpenAI and Cartesia
 * and the simulated caller for a telephony transport). The caller asks about the weather (a tool
 * call), asks for a story, and talks over it; the agent stops and answers.
 *
 * <p>Prints the conversation as the LLM will see it (the story cut where the caller stopped hearing
 * it) and each turn's latency from the caller falling silent to the bot's first audio.
 */
public final class LibraryCall {

    static final Path REPORT_DIR = Path.of("target", "call-report");

    public static void main(String[] args) throws Exception {
        var stt = new FakeSttService(List.of("what is the weather in london", "tell me a story", "wait stop please"), 150, 80);
        var llm = new FakeLlmService("scripted-llm", List.of(
                Rule.tool("weather", "get_weather", "{\"city\":\"London\"}", result -> "It is sunny and nineteen degrees in London."),
                Rule.say("story", "Once upon a time a small robot lived by the sea. Every morning it counted the waves. "
                        + "One day it found a bottle with a map inside. It followed the map across the hills."),
                Rule.say("stop", "Of course, I will stop there. Anything else?")), "Sorry, could you say that again?", 10);
        var tts = new FakeTtsService("tone-tts", 440, 90, 40, 5, true);
        var caller = new SimulatedCaller(AudioFormat.PCM16_16K, AudioFormat.PCM16_8K)
                .pause(300).awaitBotQuiet(500)
                .speak(900).awaitBotSpeaking(100).awaitBotQuiet(500)
                .speak(500).awaitBotSpeaking(1200).speak(500)
                .awaitBotSpeaking(100).awaitBotQuiet(500)
                .hangUp();

        List<String> turns = new ArrayList<>();
        long[] stopped = {0};
        VoiceAgent agent = VoiceAgent.builder()
                .instructions("You are a friendly assistant on a phone line. Keep answers short.")
                .greeting("Hello! How can I help you today?")
                .build()
                .vadParams(new VadParams(0.7, 0.1, 0.4, 0.6))
                .action(stt, llm, tts, true, true, new MinWordsInterruptionStrategy(2))
                .transport(caller)
                .report(REPORT_DIR)
                .registerTool(new ToolDefinition("get_weather", "The current weather in a city",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"),
                        arguments -> "{\"city\":\"London\",\"sky\":\"sunny\",\"celsius\":19}")
                .addEventListener(new CallEventListener() {
                    @Override
                    public void userStoppedSpeaking(long atNanos) {
                        stopped[0] = atNanos;
                    }

                    @Override
                    public void botStartedSpeaking(long atNanos) {
                        if (stopped[0] != 0) {
                            turns.add(String.format(Locale.ROOT, "%.0f ms", (atNanos - stopped[0]) / 1e6));
                            stopped[0] = 0;
                        }
                    }
                });

        CallOutcome outcome = agent.start();

        System.out.println();
        System.out.println("Call over: " + outcome.reason());
        System.out.println("Conversation as the LLM sees it:");
        for (LlmMessage m : agent.conversation()) {
            String text = switch (m) {
                case LlmMessage.SystemMessage s -> s.content();
                case LlmMessage.UserMessage u -> u.content();
                case LlmMessage.AssistantMessage a -> a.toolCalls().isEmpty() ? a.content() : "(calls " + a.toolCalls().getFirst().name() + ")";
                case LlmMessage.ToolResultMessage t -> t.content();
            };
            System.out.printf("  %-9s %s%n", m.role(), text);
        }
        System.out.println("Caller stopped speaking -> bot audio out, per turn: " + turns);
        System.out.println();
        System.out.println(agent.callReport().render());
        System.out.println("Report written to " + REPORT_DIR.toAbsolutePath() + ": report.txt, timeline.svg (open it in a browser), call.wav");
    }
}
