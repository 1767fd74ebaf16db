package ai.piopiy.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.distribution.TestDistribution.Result;
import ai.piopiy.distribution.WrittenReport.Line;
import ai.piopiy.distribution.fakes.FakeAssemblyAi;
import ai.piopiy.distribution.fakes.FakeAzureTts;
import ai.piopiy.distribution.fakes.FakeCartesia;
import ai.piopiy.distribution.fakes.FakeDeepgramStt;
import ai.piopiy.distribution.fakes.FakeDeepgramTts;
import ai.piopiy.distribution.fakes.FakeElevenLabs;
import ai.piopiy.distribution.fakes.FakeGoogleTts;
import ai.piopiy.distribution.fakes.FakeOpenAiSpeech;
import ai.piopiy.distribution.fakes.FakeTts;
import ai.piopiy.distribution.fakes.FakeWhisper;
import ai.piopiy.distribution.fakes.LlmStreams;
import ai.piopiy.distribution.fakes.LlmStreams.Call;
import ai.piopiy.distribution.fakes.Tone;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One call through the distribution whose manifest gives stt, llm and tts a {@code switch} of
 * different cloud providers, each pointed at a local server speaking that provider's protocol. The
 * models answer the caller's turns with calls to the built-in {@code switch_*} tools, so the call
 * moves mid-call through Deepgram, AssemblyAI and Whisper (STT), OpenAI, Anthropic, Gemini and Groq
 * (LLM), and Cartesia, ElevenLabs, Deepgram Aura, OpenAI, Azure and Google voices (TTS). Each fake voice is a tone
 * of its own pitch, so the recording shows whose voice the caller heard. Silero is the VAD (Whisper
 * transcribes the segments it marks).
 */
class SwitchingCallIT {

    static final Map<String, String> KEYS = Map.of(
            "DEEPGRAM_API_KEY", "dg-switch-key-1184",
            "ASSEMBLYAI_API_KEY", "aai-switch-key-2291",
            "OPENAI_API_KEY", "sk-switch-key-3307",
            "ANTHROPIC_API_KEY", "sk-ant-switch-key-4415",
            "GOOGLE_API_KEY", "AIza-switch-key-5529",
            "GROQ_API_KEY", "gsk-switch-key-6683",
            "AZURE_SPEECH_KEY", "az-switch-key-9157",
            "CARTESIA_API_KEY", "ct-switch-key-7734",
            "ELEVENLABS_API_KEY", "el-switch-key-8842");

    static final String GREETING = "Hello, this is the switching line.";
    /** The caller's lines: Deepgram hears the first, AssemblyAI the second, Whisper the rest. */
    static final List<String> CALLER = List.of(
            "please put me through to claude",
            "now gemini please with another ear",
            "and back to open a i",
            "the azure voice please",
            "and google to finish");
    static final List<String> ANSWERS = List.of(
            "Claude here, speaking through ElevenLabs.",
            "Gemini here, speaking through Deepgram.",
            "OpenAI again, in its own voice.",
            "OpenAI, speaking through Azure.",
            "OpenAI, speaking through Google.");

    @Test
    void theModelsSwitchEveryKindOfServiceMidCall(@TempDir Path work) throws Exception {
        Path home = TestDistribution.unpack(work);
        TestDistribution.install(home, "deepgram", "assemblyai", "openai", "anthropic", "google-llm", "cartesia", "elevenlabs",
                "azure", "google", "silero-vad", "simulated-caller");
        try (FakeDeepgramStt deepgram = new FakeDeepgramStt(CALLER.subList(0, 1));
             FakeAssemblyAi assemblyAi = new FakeAssemblyAi(CALLER.subList(1, 2));
             FakeWhisper whisper = new FakeWhisper(CALLER.subList(2, 5));
             MockWebServer openAi = new MockWebServer();
             MockWebServer anthropic = new MockWebServer();
             MockWebServer gemini = new MockWebServer();
             MockWebServer groq = new MockWebServer();
             FakeCartesia cartesia = new FakeCartesia(440);
             FakeElevenLabs elevenLabs = new FakeElevenLabs(660);
             FakeDeepgramTts deepgramTts = new FakeDeepgramTts(880);
             FakeOpenAiSpeech openAiTts = new FakeOpenAiSpeech(1100);
             FakeAzureTts azureTts = new FakeAzureTts(1320);
             FakeGoogleTts googleTts = new FakeGoogleTts(1540)) {
            // turn 1, heard by Deepgram: OpenAI hands the ear to AssemblyAI, the call to Claude and the voice to ElevenLabs
            openAi.enqueue(LlmStreams.openAiToolCalls(
                    new Call("call_sw1", "switch_stt", "{\"name\":\"assemblyai\"}"),
                    new Call("call_sw2", "switch_llm", "{\"name\":\"anthropic\"}"),
                    new Call("call_sw3", "switch_tts", "{\"name\":\"elevenlabs\"}")));
            anthropic.enqueue(LlmStreams.anthropicText(ANSWERS.get(0)));
            // turn 2, heard by AssemblyAI: Claude moves the ear to Whisper, the call to Gemini and the voice to Deepgram's
            anthropic.enqueue(LlmStreams.anthropicToolUse(
                    new Call("toolu_sw4", "switch_stt", "{\"name\":\"whisper\"}"),
                    new Call("toolu_sw5", "switch_llm", "{\"name\":\"gemini\"}"),
                    new Call("toolu_sw6", "switch_tts", "{\"name\":\"deepgram\"}")));
            gemini.enqueue(LlmStreams.geminiText(ANSWERS.get(1)));
            // turn 3, heard by Whisper: Gemini passes to Groq with OpenAI's voice, Groq passes back to OpenAI, which answers
            gemini.enqueue(LlmStreams.geminiFunctionCalls(
                    new Call(null, "switch_llm", "{\"name\":\"groq\"}"),
                    new Call(null, "switch_tts", "{\"name\":\"openai\"}")));
            groq.enqueue(LlmStreams.openAiToolCalls(new Call("call_sw7", "switch_llm", "{\"name\":\"openai\"}")));
            openAi.enqueue(LlmStreams.openAiText(ANSWERS.get(2)));
            // turns 4 and 5: OpenAI tries Azure's voice, then Google's
            openAi.enqueue(LlmStreams.openAiToolCalls(new Call("call_sw8", "switch_tts", "{\"name\":\"azure\"}")));
            openAi.enqueue(LlmStreams.openAiText(ANSWERS.get(3)));
            openAi.enqueue(LlmStreams.openAiToolCalls(new Call("call_sw9", "switch_tts", "{\"name\":\"google\"}")));
            openAi.enqueue(LlmStreams.openAiText(ANSWERS.get(4)));
            for (MockWebServer llm : List.of(openAi, anthropic, gemini, groq)) {
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
                          "assemblyai": {"provider": "assemblyai", "url": "%s"},
                          "whisper": {"provider": "whisper", "base_url": "%s"}}}},
                        "llm": {"switch": {"default": "openai", "services": {
                          "openai": {"provider": "openai", "base_url": "http://127.0.0.1:%d/v1"},
                          "anthropic": {"provider": "anthropic", "base_url": "http://127.0.0.1:%d"},
                          "gemini": {"provider": "google-llm", "base_url": "http://127.0.0.1:%d"},
                          "groq": {"provider": "groq", "base_url": "http://127.0.0.1:%d/openai/v1"}}}},
                        "tts": {"switch": {"default": "cartesia", "services": {
                          "cartesia": {"provider": "cartesia", "base_url": "%s"},
                          "elevenlabs": {"provider": "elevenlabs", "base_url": "%s"},
                          "deepgram": {"provider": "deepgram-tts", "base_url": "%s"},
                          "openai": {"provider": "openai-tts", "base_url": "%s"},
                          "azure": {"provider": "azure-tts", "endpoint": "%s"},
                          "google": {"provider": "google-tts", "endpoint": "%s", "voice_id": "en-US-Neural2-F"}}}},
                        "vad": {"provider": "silero"},
                        "tools": [%s, %s, %s]
                      },
                      "transport": {"provider": "simulated-caller",
                                    "lines": [%s],
                                    "hang_up_after_ms": 800}
                    }
                    """.formatted(GREETING, deepgram.url(), assemblyAi.url(), whisper.baseUrl(),
                    openAi.getPort(), anthropic.getPort(), gemini.getPort(), groq.getPort(),
                    cartesia.baseUrl(), elevenLabs.baseUrl(), deepgramTts.baseUrl(), openAiTts.baseUrl(), azureTts.endpoint(),
                    googleTts.endpoint(),
                    switchTool("stt", "deepgram", "assemblyai", "whisper"), switchTool("llm", "openai", "anthropic", "gemini", "groq"),
                    switchTool("tts", "cartesia", "elevenlabs", "deepgram", "openai", "azure", "google"),
                    CALLER.stream().map(SwitchingCallIT::line).collect(Collectors.joining(", "))));
            Path reportDir = work.resolve("report");
            Result r = TestDistribution.piopiy(home, KEYS, work, "--report", reportDir.toString(), "call", manifest.toString());
            String out = r.out() + r.err();
            assertThat(r.code()).as(out).isZero();
            assertThat(out).doesNotContain("ERROR", "WARN", "Exception");
            for (String key : KEYS.values()) {
                assertThat(out).doesNotContain(key);
            }
            WrittenReport report = WrittenReport.read(reportDir);
            double sttSwitchedToWhisper = report.linesOf("tool").stream()
                    .filter(l -> l.text().startsWith("switch_stt") && l.text().contains("whisper")).findFirst().orElseThrow().seconds();

            // STT: each heard the caller's turn while it was the call's, and its stream was closed when the call moved on
            assertThat(deepgram.heard()).containsExactly(CALLER.get(0));
            assertThat(deepgram.connections()).singleElement()
                    .satisfies(c -> assertThat(c.header("Authorization")).isEqualTo("Token " + KEYS.get("DEEPGRAM_API_KEY")));
            assertThat(deepgram.texts()).anyMatch(t -> t.contains("CloseStream"));
            assertThat(assemblyAi.heard()).containsExactly(CALLER.get(1));
            assertThat(assemblyAi.connections()).singleElement()
                    .satisfies(c -> assertThat(c.header("Authorization")).isEqualTo(KEYS.get("ASSEMBLYAI_API_KEY")));
            assertThat(assemblyAi.texts()).anyMatch(t -> t.contains("Terminate"));
            // a busy machine may lag, but AssemblyAI's stream ends at the switch to Whisper, not with the call
            assertThat(deepgram.audioMillis() + assemblyAi.audioMillis()).isLessThan((long) (sttSwitchedToWhisper * 1000) + 2000);
            assertThat(whisper.heard()).containsExactlyElementsOf(CALLER.subList(2, 5));
            assertThat(whisper.segments()).allSatisfy(s -> assertThat(s.millis()).isGreaterThan(1000));
            assertThat(whisper.headers("Authorization")).containsOnly("Bearer " + KEYS.get("OPENAI_API_KEY"));

            // LLM: each model got the conversation so far, including the other models' tool calls and their results
            RecordedRequest openAi1 = openAi.takeRequest();
            assertThat(openAi1.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEYS.get("OPENAI_API_KEY"));
            assertThat(openAi1.getBody().utf8()).contains("You are a switchboard test line.", GREETING, CALLER.get(0),
                    "\"name\":\"switch_stt\"", "\"name\":\"switch_llm\"", "\"name\":\"switch_tts\"");
            RecordedRequest anthropic1 = anthropic.takeRequest();
            assertThat(anthropic1.getHeaders().get("x-api-key")).isEqualTo(KEYS.get("ANTHROPIC_API_KEY"));
            assertThat(anthropic1.getBody().utf8()).contains(CALLER.get(0),
                    "\"type\":\"tool_use\",\"id\":\"call_sw2\"", "\"tool_use_id\":\"call_sw3\"", "switched_to", "elevenlabs");
            assertThat(anthropic.takeRequest().getBody().utf8()).contains(CALLER.get(0), ANSWERS.get(0), CALLER.get(1));
            RecordedRequest gemini1 = gemini.takeRequest();
            assertThat(gemini1.getHeaders().get("x-goog-api-key")).isEqualTo(KEYS.get("GOOGLE_API_KEY"));
            assertThat(gemini1.getBody().utf8()).contains(CALLER.get(0), ANSWERS.get(0), CALLER.get(1),
                    "\"functionCall\":{\"name\":\"switch_stt\"", "\"functionResponse\":{\"name\":\"switch_tts\"");
            assertThat(gemini.takeRequest().getBody().utf8()).contains(ANSWERS.get(1), CALLER.get(2));
            RecordedRequest groq1 = groq.takeRequest();
            assertThat(groq1.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEYS.get("GROQ_API_KEY"));
            assertThat(groq1.getUrl().encodedPath()).isEqualTo("/openai/v1/chat/completions");
            assertThat(groq1.getBody().utf8()).contains(CALLER.get(2), "\"name\":\"switch_llm\",\"arguments\":\"{\\\"name\\\":\\\"groq\\\"}\"");
            assertThat(openAi.takeRequest().getBody().utf8()).contains(GREETING, CALLER.get(0), ANSWERS.get(0), CALLER.get(1),
                    ANSWERS.get(1), CALLER.get(2), "\"tool_call_id\":\"toolu_sw6\"", "\"tool_call_id\":\"call_sw7\"");
            assertThat(openAi.takeRequest().getBody().utf8()).contains(ANSWERS.get(2), CALLER.get(3));
            assertThat(openAi.takeRequest().getBody().utf8()).contains(CALLER.get(3), "\"tool_call_id\":\"call_sw8\"");
            assertThat(openAi.takeRequest().getBody().utf8()).contains(ANSWERS.get(3), CALLER.get(4));
            assertThat(openAi.takeRequest().getBody().utf8()).contains(CALLER.get(4), "\"tool_call_id\":\"call_sw9\"");
            assertThat(openAi.getRequestCount()).isEqualTo(6);
            assertThat(List.of(anthropic, gemini)).allSatisfy(llm -> assertThat(llm.getRequestCount()).isEqualTo(2));
            assertThat(groq.getRequestCount()).isEqualTo(1);

            // TTS: each voice spoke its share (the greeting, then an answer each), with the key from the environment
            List<FakeTts> ttsInTurn = List.of(cartesia, elevenLabs, deepgramTts, openAiTts, azureTts, googleTts);
            List<String> agentSays = Stream.concat(Stream.of(GREETING), ANSWERS.stream()).toList();
            for (int i = 0; i < ttsInTurn.size(); i++) {
                assertThat(ttsInTurn.get(i).voice().spoken()).containsExactly(agentSays.get(i));
            }
            assertThat(cartesia.connections()).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.header("Authorization")).isEqualTo("Bearer " + KEYS.get("CARTESIA_API_KEY")));
            assertThat(elevenLabs.connections()).singleElement().satisfies(c -> {
                assertThat(c.header("xi-api-key")).isEqualTo(KEYS.get("ELEVENLABS_API_KEY"));
                assertThat(c.url().queryParameter("output_format")).isEqualTo("ulaw_8000");
            });
            assertThat(deepgramTts.connections()).extracting(c -> c.header("Authorization"))
                    .containsOnly("Token " + KEYS.get("DEEPGRAM_API_KEY"));
            assertThat(openAiTts.headers("Authorization")).containsOnly("Bearer " + KEYS.get("OPENAI_API_KEY"));
            assertThat(azureTts.headers("Ocp-Apim-Subscription-Key")).containsOnly(KEYS.get("AZURE_SPEECH_KEY"));
            assertThat(azureTts.headers("X-Microsoft-OutputFormat")).containsOnly("raw-8khz-16bit-mono-pcm");
            assertThat(googleTts.headers("x-goog-api-key")).containsOnly(KEYS.get("GOOGLE_API_KEY"));

            // the report: who said what, the tools that switched, and the voice the caller heard for each answer
            String reportText = Files.readString(reportDir.resolve("report.txt"));
            assertThat(report.linesOf("caller")).as(reportText).extracting(Line::text).containsExactlyElementsOf(CALLER);
            assertThat(report.linesOf("agent")).as(reportText).extracting(Line::text).containsExactlyElementsOf(agentSays);
            assertThat(report.linesOf("tool")).as(reportText).extracting(Line::text).containsExactly(
                    "switch_stt {\"name\":\"assemblyai\"}", "switch_llm {\"name\":\"anthropic\"}", "switch_tts {\"name\":\"elevenlabs\"}",
                    "switch_stt {\"name\":\"whisper\"}", "switch_llm {\"name\":\"gemini\"}", "switch_tts {\"name\":\"deepgram\"}",
                    "switch_llm {\"name\":\"groq\"}", "switch_tts {\"name\":\"openai\"}", "switch_llm {\"name\":\"openai\"}",
                    "switch_tts {\"name\":\"azure\"}", "switch_tts {\"name\":\"google\"}");
            assertThat(r.out()).as(reportText).contains("5 caller turns").doesNotContain("not answered");
            List<Double> voices = ttsInTurn.stream().map(tts -> tts.voice().hz()).toList();
            List<Line> agentLines = report.linesOf("agent");
            for (int i = 0; i < agentLines.size(); i++) {
                assertHeard(report, agentLines.get(i), voices, voices.get(i));
            }
        }
    }

    /**
     * The agent's voice around {@code line} (reported once its last word has been sent: the audio is
     * before it, give or take a busy machine's lag) is the tone {@code expected}, not another.
     */
    private static void assertHeard(WrittenReport report, Line line, List<Double> voices, double expected) {
        int from = report.at(line.seconds() - 1.5);
        int to = report.at(line.seconds() + 0.5);
        assertThat(WrittenReport.rms(report.agent(), from, to)).as("agent audio around %.2f s", line.seconds()).isGreaterThan(300);
        Map<Double, Double> powers = new LinkedHashMap<>();
        for (double hz : voices) {
            powers.put(hz, Tone.power(report.agent(), from, to, report.rate(), hz));
        }
        double all = powers.values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(powers.get(expected) / all)
                .as("the share of the %.0f Hz voice among the voices heard around \"%s\" at %.2f s: %s", expected, line.text(),
                        line.seconds(), powers)
                .isGreaterThan(0.98);
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
