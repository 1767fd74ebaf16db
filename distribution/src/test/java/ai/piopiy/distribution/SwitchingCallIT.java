package ai.piopiy.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.distribution.TestDistribution.Result;
import ai.piopiy.distribution.WrittenReport.Line;
import ai.piopiy.distribution.fakes.FakeAssemblyAi;
import ai.piopiy.distribution.fakes.FakeCartesia;
import ai.piopiy.distribution.fakes.FakeDeepgramStt;
import ai.piopiy.distribution.fakes.FakeDeepgramTts;
import ai.piopiy.distribution.fakes.FakeElevenLabs;
import ai.piopiy.distribution.fakes.FakeOpenAiSpeech;
import ai.piopiy.distribution.fakes.LlmStreams;
import ai.piopiy.distribution.fakes.LlmStreams.Call;
import ai.piopiy.distribution.fakes.Tone;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One call through the distribution whose manifest gives stt, llm and tts a {@code switch} of
 * different cloud providers, each pointed at a local server speaking that provider's protocol. The
 * models answer the caller's turns with calls to the built-in {@code switch_*} tools, so the call
 * moves mid-call from Deepgram to AssemblyAI (STT), from OpenAI to Anthropic to Gemini and back
 * (LLM), and through Cartesia, ElevenLabs, Deepgram Aura and OpenAI's voices (TTS). Each fake voice
 * is a tone of its own pitch, so the recording shows whose voice the caller heard.
 */
class SwitchingCallIT {

    static final Map<String, String> KEYS = Map.of(
            "DEEPGRAM_API_KEY", "dg-switch-key-1184",
            "ASSEMBLYAI_API_KEY", "aai-switch-key-2291",
            "OPENAI_API_KEY", "sk-switch-key-3307",
            "ANTHROPIC_API_KEY", "sk-ant-switch-key-4415",
            "GOOGLE_API_KEY", "AIza-switch-key-5529",
            "CARTESIA_API_KEY", "ct-switch-key-6634",
            "ELEVENLABS_API_KEY", "el-switch-key-7742");

    static final String GREETING = "Hello, this is the switching line.";
    static final List<String> CALLER = List.of(
            "please put me through to claude",
            "now gemini please with another ear",
            "and back to open a i to finish");
    static final List<String> ANSWERS = List.of(
            "Claude here, speaking through ElevenLabs.",
            "Gemini here, speaking through Deepgram.",
            "OpenAI again, in its own voice.");

    @Test
    void theModelsSwitchEveryKindOfServiceMidCall(@TempDir Path work) throws Exception {
        Path home = TestDistribution.unpack(work);
        TestDistribution.install(home, "deepgram", "assemblyai", "openai", "anthropic", "google-llm", "cartesia", "elevenlabs",
                "simulated-caller");
        try (FakeDeepgramStt deepgram = new FakeDeepgramStt(CALLER.subList(0, 2));
             FakeAssemblyAi assemblyAi = new FakeAssemblyAi(CALLER.subList(2, 3));
             MockWebServer openAi = new MockWebServer();
             MockWebServer anthropic = new MockWebServer();
             MockWebServer gemini = new MockWebServer();
             FakeCartesia cartesia = new FakeCartesia(440);
             FakeElevenLabs elevenLabs = new FakeElevenLabs(660);
             FakeDeepgramTts deepgramTts = new FakeDeepgramTts(880);
             FakeOpenAiSpeech openAiTts = new FakeOpenAiSpeech(1100)) {
            // turn 1 (Deepgram hears it): OpenAI hands over to Claude with ElevenLabs' voice, and Claude answers
            openAi.enqueue(LlmStreams.openAiToolCalls(
                    new Call("call_sw1", "switch_llm", "{\"name\":\"anthropic\"}"),
                    new Call("call_sw2", "switch_tts", "{\"name\":\"elevenlabs\"}")));
            anthropic.enqueue(LlmStreams.anthropicText(ANSWERS.get(0)));
            // turn 2: Claude moves the ear to AssemblyAI, the model to Gemini and the voice to Deepgram's
            anthropic.enqueue(LlmStreams.anthropicToolUse(
                    new Call("toolu_sw3", "switch_stt", "{\"name\":\"assemblyai\"}"),
                    new Call("toolu_sw4", "switch_llm", "{\"name\":\"gemini\"}"),
                    new Call("toolu_sw5", "switch_tts", "{\"name\":\"deepgram\"}")));
            gemini.enqueue(LlmStreams.geminiText(ANSWERS.get(1)));
            // turn 3 (AssemblyAI hears it): Gemini hands back to OpenAI, which speaks with its own voice
            gemini.enqueue(LlmStreams.geminiFunctionCalls(
                    new Call(null, "switch_llm", "{\"name\":\"openai\"}"),
                    new Call(null, "switch_tts", "{\"name\":\"openai\"}")));
            openAi.enqueue(LlmStreams.openAiText(ANSWERS.get(2)));
            for (MockWebServer llm : List.of(openAi, anthropic, gemini)) {
                llm.start(InetAddress.getByName("127.0.0.1"), 0);
            }

            Path manifest = Files.writeString(work.resolve("switching.json"), """
                    {
                      "agent": {"id": "it-agent", "token": "not-used"},
                      "pipeline": {
                        "instructions": "You are a switchboard test line.",
                        "greeting": "%s",
                        "stt": {"switch": {"default": "deepgram", "services": {
                          "deepgram": {"provider": "deepgram", "url": "%s"},
                          "assemblyai": {"provider": "assemblyai", "url": "%s"}}}},
                        "llm": {"switch": {"default": "openai", "services": {
                          "openai": {"provider": "openai", "base_url": "http://127.0.0.1:%d/v1"},
                          "anthropic": {"provider": "anthropic", "base_url": "http://127.0.0.1:%d"},
                          "gemini": {"provider": "google-llm", "base_url": "http://127.0.0.1:%d"}}}},
                        "tts": {"switch": {"default": "cartesia", "services": {
                          "cartesia": {"provider": "cartesia", "base_url": "%s"},
                          "elevenlabs": {"provider": "elevenlabs", "base_url": "%s"},
                          "deepgram": {"provider": "deepgram-tts", "base_url": "%s"},
                          "openai": {"provider": "openai-tts", "base_url": "%s"}}}},
                        "tools": [
                          %s,
                          %s,
                          %s
                        ]
                      },
                      "transport": {"provider": "simulated-caller",
                                    "lines": [%s, %s, %s],
                                    "hang_up_after_ms": 800}
                    }
                    """.formatted(GREETING, deepgram.url(), assemblyAi.url(),
                    openAi.getPort(), anthropic.getPort(), gemini.getPort(),
                    cartesia.baseUrl(), elevenLabs.baseUrl(), deepgramTts.baseUrl(), openAiTts.baseUrl(),
                    switchTool("stt", "deepgram", "assemblyai"), switchTool("llm", "openai", "anthropic", "gemini"),
                    switchTool("tts", "cartesia", "elevenlabs", "deepgram", "openai"),
                    line(CALLER.get(0)), line(CALLER.get(1)), line(CALLER.get(2))));
            Path reportDir = work.resolve("report");
            Result r = TestDistribution.piopiy(home, KEYS, work, "--report", reportDir.toString(), "call", manifest.toString());
            String out = r.out() + r.err();
            assertThat(r.code()).as(out).isZero();
            assertThat(out).doesNotContain("ERROR", "Exception");
            for (String key : KEYS.values()) {
                assertThat(out).doesNotContain(key);
            }

            // STT: Deepgram heard the first two turns, then its stream was closed; AssemblyAI heard the third
            assertThat(deepgram.connections()).singleElement()
                    .satisfies(c -> assertThat(c.header("Authorization")).isEqualTo("Token " + KEYS.get("DEEPGRAM_API_KEY")));
            assertThat(deepgram.heard()).containsExactlyElementsOf(CALLER.subList(0, 2));
            assertThat(deepgram.texts()).anyMatch(t -> t.contains("CloseStream"));
            assertThat(assemblyAi.connections()).singleElement()
                    .satisfies(c -> assertThat(c.header("Authorization")).isEqualTo(KEYS.get("ASSEMBLYAI_API_KEY")));
            assertThat(assemblyAi.heard()).containsExactlyElementsOf(CALLER.subList(2, 3));
            assertThat(assemblyAi.texts()).anyMatch(t -> t.contains("Terminate"));

            // LLM: each model got the conversation so far, including the other models' tool calls and their results
            RecordedRequest openAi1 = openAi.takeRequest();
            assertThat(openAi1.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEYS.get("OPENAI_API_KEY"));
            assertThat(openAi1.getBody().utf8()).contains("You are a switchboard test line.", GREETING, CALLER.get(0),
                    "\"name\":\"switch_stt\"", "\"name\":\"switch_llm\"", "\"name\":\"switch_tts\"");
            RecordedRequest anthropic1 = anthropic.takeRequest();
            assertThat(anthropic1.getHeaders().get("x-api-key")).isEqualTo(KEYS.get("ANTHROPIC_API_KEY"));
            assertThat(anthropic1.getBody().utf8()).contains(CALLER.get(0),
                    "\"type\":\"tool_use\",\"id\":\"call_sw1\"", "\"tool_use_id\":\"call_sw1\"", "switched_to", "elevenlabs");
            assertThat(anthropic.takeRequest().getBody().utf8()).contains(CALLER.get(0), ANSWERS.get(0), CALLER.get(1));
            RecordedRequest gemini1 = gemini.takeRequest();
            assertThat(gemini1.getHeaders().get("x-goog-api-key")).isEqualTo(KEYS.get("GOOGLE_API_KEY"));
            assertThat(gemini1.getBody().utf8()).contains(CALLER.get(0), ANSWERS.get(0), CALLER.get(1),
                    "\"functionCall\":{\"name\":\"switch_stt\"", "\"functionResponse\":{\"name\":\"switch_tts\"");
            assertThat(gemini.takeRequest().getBody().utf8()).contains(ANSWERS.get(1), CALLER.get(2));
            assertThat(openAi.takeRequest().getBody().utf8()).contains(GREETING, CALLER.get(0), ANSWERS.get(0), CALLER.get(1),
                    ANSWERS.get(1), CALLER.get(2), "\"tool_call_id\":\"toolu_sw5\"", "\"role\":\"tool\"");
            assertThat(List.of(openAi, anthropic, gemini)).allSatisfy(llm -> assertThat(llm.getRequestCount()).isEqualTo(2));

            // TTS: each voice spoke its share, with the key from the environment
            assertThat(cartesia.spoken()).containsExactly(GREETING);
            assertThat(cartesia.connections()).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.header("Authorization")).isEqualTo("Bearer " + KEYS.get("CARTESIA_API_KEY")));
            assertThat(elevenLabs.spoken()).containsExactly(ANSWERS.get(0));
            assertThat(elevenLabs.connections()).singleElement().satisfies(c -> {
                assertThat(c.header("xi-api-key")).isEqualTo(KEYS.get("ELEVENLABS_API_KEY"));
                assertThat(c.url().queryParameter("output_format")).isEqualTo("ulaw_8000");
            });
            assertThat(deepgramTts.spoken()).containsExactly(ANSWERS.get(1));
            assertThat(deepgramTts.connections()).extracting(c -> c.header("Authorization"))
                    .containsOnly("Token " + KEYS.get("DEEPGRAM_API_KEY"));
            assertThat(openAiTts.spoken()).containsExactly(ANSWERS.get(2));
            assertThat(openAiTts.authorizations()).containsOnly("Bearer " + KEYS.get("OPENAI_API_KEY"));

            // the report: who said what, the tools that switched, and the voice the caller heard for each answer
            WrittenReport report = WrittenReport.read(reportDir);
            assertThat(report.linesOf("caller")).extracting(Line::text).containsExactlyElementsOf(CALLER);
            assertThat(report.linesOf("agent")).extracting(Line::text).containsExactly(GREETING, ANSWERS.get(0), ANSWERS.get(1),
                    ANSWERS.get(2));
            assertThat(report.linesOf("tool")).extracting(Line::text).containsExactly(
                    "switch_llm {\"name\":\"anthropic\"}", "switch_tts {\"name\":\"elevenlabs\"}",
                    "switch_stt {\"name\":\"assemblyai\"}", "switch_llm {\"name\":\"gemini\"}", "switch_tts {\"name\":\"deepgram\"}",
                    "switch_llm {\"name\":\"openai\"}", "switch_tts {\"name\":\"openai\"}");
            List<Double> voices = List.of(cartesia.hz(), elevenLabs.hz(), deepgramTts.hz(), openAiTts.hz());
            List<Line> agentLines = report.linesOf("agent");
            for (int i = 0; i < agentLines.size(); i++) {
                assertHeard(report, agentLines.get(i), voices, voices.get(i));
            }
        }
    }

    /** The agent's voice in the second before {@code line} was reported is the tone {@code expected}, not another. */
    private static void assertHeard(WrittenReport report, Line line, List<Double> voices, double expected) {
        int to = report.at(line.seconds());
        int from = to - report.rate();
        Map<Double, Double> shares = new LinkedHashMap<>();
        for (double hz : voices) {
            shares.put(hz, Tone.share(report.agent(), from, to, report.rate(), hz));
        }
        assertThat(WrittenReport.rms(report.agent(), from, to)).as("agent audio before %.2f s", line.seconds()).isGreaterThan(300);
        assertThat(shares).as("the voices' shares of the agent audio before \"%s\" at %.2f s", line.text(), line.seconds())
                .allSatisfy((hz, share) -> {
                    if (hz == expected) {
                        assertThat(share).isGreaterThan(0.2);
                    } else {
                        assertThat(share).isLessThan(0.02);
                    }
                });
    }

    private static String switchTool(String kind, String... names) {
        return """
                {"name": "switch_%s", "description": "Switches the call's %s to another provider.", \
                "parameters": {"type": "object", "properties": {"name": {"type": "string", "enum": ["%s"]}}, "required": ["name"]}, \
                "handler": "switch_%s"}""".formatted(kind, kind, String.join("\", \"", names), kind);
    }

    private static String line(String say) {
        return "{\"say\": \"" + say + "\", \"when\": \"bot_quiet\", \"after_ms\": 300}";
    }
}
