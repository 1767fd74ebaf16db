package ai.piopiy.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.distribution.TestDistribution.Result;
import ai.piopiy.distribution.fakes.FakeCartesia;
import ai.piopiy.distribution.fakes.FakeDeepgramStt;
import ai.piopiy.distribution.fakes.LlmStreams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call through the wave-1 cloud providers as a user would run one: the distribution with the
 * deepgram, openai and cartesia plugins in its plugins/ folder, a manifest naming them, and local
 * servers speaking each provider's protocol (Deepgram's listen WebSocket, OpenAI's streamed chat
 * completions, Cartesia's TTS WebSocket) in place of the real services. The caller is the flite
 * simulated caller.
 */
class ProvidersCallIT {

    static final String DEEPGRAM_KEY = "dg-test-key-7431";
    static final String OPENAI_KEY = "sk-test-key-9920";
    static final String CARTESIA_KEY = "ct-test-key-5512";

    @Test
    void aCallRunsThroughDeepgramOpenAiAndCartesiaLoadedFromThePluginsFolder(@TempDir Path work) throws Exception {
        Path home = TestDistribution.unpack(work);
        TestDistribution.install(home, "deepgram", "openai", "cartesia", "simulated-caller");
        try (FakeDeepgramStt deepgram = new FakeDeepgramStt(List.of("what is the weather in london"));
             MockWebServer llm = new MockWebServer();
             FakeCartesia cartesia = new FakeCartesia(500)) {
            llm.enqueue(LlmStreams.openAiText("It is sunny in London today."));
            llm.start();
            Path manifest = work.resolve("agent.json");
            Files.writeString(manifest, """
                    {
                      "agent": {"id": "it-agent", "token": "not-used"},
                      "pipeline": {
                        "instructions": "You are a weather line.",
                        "greeting": "Hello, weather line.",
                        "stt": {"provider": "deepgram", "url": "%s"},
                        "llm": {"provider": "openai", "base_url": "http://127.0.0.1:%d/v1"},
                        "tts": {"provider": "cartesia", "base_url": "%s"}
                      },
                      "transport": {"provider": "simulated-caller",
                                    "lines": [{"say": "what is the weather in london", "when": "bot_quiet", "after_ms": 500}],
                                    "hang_up_after_ms": 1000}
                    }
                    """.formatted(deepgram.url(), llm.getPort(), cartesia.baseUrl()));
            Result r = TestDistribution.piopiy(home,
                    Map.of("DEEPGRAM_API_KEY", DEEPGRAM_KEY, "OPENAI_API_KEY", OPENAI_KEY, "CARTESIA_API_KEY", CARTESIA_KEY),
                    work, "call", manifest.toString());
            String out = r.out() + r.err();
            assertThat(r.code()).as(out).isZero();

            assertThat(out).contains("caller  what is the weather in london", "agent   It is sunny in London today.");
            // each provider got what its protocol says, with the key from the environment
            assertThat(deepgram.connections()).singleElement().satisfies(c -> assertThat(c.header("Authorization")).isEqualTo("Token " + DEEPGRAM_KEY));
            assertThat(deepgram.audioFrames()).isGreaterThan(100);
            assertThat(deepgram.heard()).containsExactly("what is the weather in london");
            assertThat(deepgram.texts()).anyMatch(t -> t.contains("CloseStream"));
            RecordedRequest request = llm.takeRequest();
            assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + OPENAI_KEY);
            assertThat(request.getBody().utf8()).contains("\"stream\":true", "what is the weather in london", "You are a weather line.");
            assertThat(cartesia.connections()).isNotEmpty().allSatisfy(c -> assertThat(c.header("Authorization")).isEqualTo("Bearer " + CARTESIA_KEY));
            assertThat(cartesia.voice().spoken()).contains("Hello, weather line.", "It is sunny in London today.");
            // no key ever reaches the output
            assertThat(out).doesNotContain(DEEPGRAM_KEY, OPENAI_KEY, CARTESIA_KEY);
        }
    }
}
