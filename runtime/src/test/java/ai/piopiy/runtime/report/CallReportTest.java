package ai.piopiy.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.VoiceAgent;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.llm.ToolDefinition;
import ai.piopiy.spi.vad.VadParams;
import ai.piopiy.testing.FakeLlmService;
import ai.piopiy.testing.FakeSttService;
import ai.piopiy.testing.FakeTtsService;
import ai.piopiy.testing.SimulatedCaller;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class CallReportTest {

    @Test
    void withoutAVadATurnCountsFromItsFinalTranscript() {
        // the events of a call whose STT decides the turns (no VAD): no "caller stopped speaking" ever
        CallReport report = new CallReport();
        long ms = 1_000_000;
        report.callStarted("c", 0);
        report.transcript("what is the weather", true, 1_000 * ms);
        report.userTurnEnded("what is the weather", 1_010 * ms);
        report.llmRequestStarted(1_020 * ms);
        report.llmFirstToken(1_200 * ms);
        report.ttsRequestStarted("It is sunny.", 1_260 * ms);
        report.ttsFirstAudio(1_400 * ms);
        report.botStartedSpeaking(1_410 * ms);
        report.callEnded("the caller left", false, 3_000 * ms);

        CallReport.Turn turn = report.turns().getFirst();
        assertThat(turn.hasVadStop()).isFalse();
        assertThat(turn.totalNanos()).isEqualTo(410 * ms);
        assertThat(turn.sttNanos() + turn.llmNanos() + turn.firstSentenceNanos() + turn.ttsNanos() + turn.runtimeNanos())
                .isEqualTo(turn.totalNanos());
        String text = report.render();
        assertThat(text).doesNotContain("not answered")
                .containsPattern("\\s+1\\s+-\\s+180\\s+60\\s+140\\s+30\\s+410\\s+0")
                .contains("no VAD told when the caller stopped");
        assertThat(LatencyTimeline.svg(report.turns())).contains("410 ms").doesNotContain("not answered");
    }

    @Test
    void theReportTheTimelineAndTheRecordingAgree(@TempDir Path dir) throws Exception {
        SimulatedCaller caller = new SimulatedCaller(AudioFormat.PCM16_16K, AudioFormat.PCM16_8K)
                .pause(200).awaitBotQuiet(300)
                .speak(700).awaitBotSpeaking(100).awaitBotQuiet(300)
                .speak(700).awaitBotSpeaking(100).awaitBotQuiet(300)
                .hangUp();
        VoiceAgent agent = new VoiceAgent("test", "Hi there.")
                .vadParams(new VadParams(0.7, 0.06, 0.3, 0.6))
                .greetingDelay(Duration.ofMillis(50))
                .action(new FakeSttService(List.of("what is the weather", "thank you"), 150, 60),
                        new FakeLlmService("llm", List.of(
                                FakeLlmService.Rule.tool("weather", "get_weather", "{}", r -> "It is sunny."),
                                FakeLlmService.Rule.say("thank", "You are welcome.")), "?", 10),
                        new FakeTtsService("tts", 440, 80, 40, 5, true), true, true, null)
                .registerTool(new ToolDefinition("get_weather", "weather", "{}"), args -> "{\"sky\":\"sunny\"}")
                .transport(caller)
                .report(dir);
        agent.start();

        CallReport report = agent.callReport();
        List<CallReport.Turn> turns = report.turns();
        assertThat(turns).hasSize(2);
        assertThat(turns.get(0).toolCalls).isEqualTo(1);
        for (CallReport.Turn t : turns) {
            assertThat(t.totalNanos()).isPositive();
            assertThat(t.vadStop).isLessThanOrEqualTo(t.turnEnd);
            assertThat(t.turnEnd).isLessThanOrEqualTo(t.llmRequest);
            assertThat(t.llmRequest).isLessThan(t.llmFirstToken);
            assertThat(t.llmFirstToken).isLessThanOrEqualTo(t.ttsRequest);
            assertThat(t.ttsRequest).isLessThan(t.ttsFirstAudio);
            assertThat(t.ttsFirstAudio).isLessThanOrEqualTo(t.audioOut);
            assertThat(t.sttNanos() + t.llmNanos() + t.firstSentenceNanos() + t.ttsNanos() + t.runtimeNanos()).isEqualTo(t.totalNanos());
        }

        String text = Files.readString(dir.resolve("report.txt"));
        assertThat(text).contains("caller  what is the weather", "agent   It is sunny.", "tool    get_weather");
        assertThat(text.lines().filter(l -> l.matches("\\s+[12]\\s+\\d+.*"))).hasSize(2);
        String svg = Files.readString(dir.resolve("timeline.svg"));
        assertThat(svg).startsWith("<svg").contains(">turn 1<", ">turn 2<", "LLM first token").endsWith("</svg>\n");

        byte[] wav = Files.readAllBytes(dir.resolve("call.wav"));
        ByteBuffer header = ByteBuffer.wrap(wav, 0, 44).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getShort(22)).as("channels").isEqualTo((short) 2);
        assertThat(header.getInt(24)).as("rate").isEqualTo(16_000);
        int frames = (wav.length - 44) / 4;
        short[] left = new short[frames];
        short[] right = new short[frames];
        ByteBuffer data = ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            left[i] = data.getShort();
            right[i] = data.getShort();
        }
        long start = report.startNanos();
        // the caller's channel has speech where the caller spoke, the agent's is silent then
        for (long[] spoke : caller.spoke) {
            int mid = (int) (((spoke[0] + spoke[1]) / 2 - start) * 16_000 / 1_000_000_000L);
            assertThat(rms(left, mid - 800, mid + 800)).isGreaterThan(3000);
            assertThat(rms(right, mid - 800, mid + 800)).isLessThan(100);
        }
        // the agent's channel starts speaking where the report says the first audio went out
        for (CallReport.Turn t : turns) {
            int at = (int) ((t.audioOut - start) * 16_000 / 1_000_000_000L);
            assertThat(rms(right, at - 1600, at - 480)).as("turn %d: silent before", t.number).isLessThan(100);
            assertThat(rms(right, at + 480, at + 1600)).as("turn %d: speaking after", t.number).isGreaterThan(2000);
        }
    }

    static double rms(short[] s, int from, int to) {
        from = Math.max(0, from);
        to = Math.min(s.length, to);
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return to > from ? Math.sqrt(sum / (to - from)) : 0;
    }
}
