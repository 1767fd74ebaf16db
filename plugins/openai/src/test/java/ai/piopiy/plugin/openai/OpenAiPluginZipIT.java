package ai.piopiy.plugin.openai;

import static ai.piopiy.plugin.llmhttp.testing.SseBodies.sse;
import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.llmhttp.testing.RecordingListener;
import ai.piopiy.plugin.llmhttp.testing.TestingProviderContext;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.testing.PluginZip;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built plugin ZIP, loaded in isolation from the test classpath, finds its factories and streams. */
class OpenAiPluginZipIT {

    @Test
    void loadsAndStreamsFromTheZipAlone(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                MockWebServer server = new MockWebServer();
                TestingProviderContext context = new TestingProviderContext()) {
            List<ProviderFactory> factories = plugin.checkPlugin("openai", List.of("okhttp-jvm-", "piopiy-llm-http-"), List.of(
                    Map.entry("openai", ProviderKind.LLM), Map.entry("groq", ProviderKind.LLM), Map.entry("ollama", ProviderKind.LLM),
                    Map.entry("whisper", ProviderKind.STT), Map.entry("openai-tts", ProviderKind.TTS),
                    Map.entry("playht", ProviderKind.TTS)));

            server.start();
            server.enqueue(sse("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
            ProviderConfig config = ProviderConfig.of("pipeline.llm", Map.of("base_url", server.url("/v1").toString()), Map.of());
            LlmService service = (LlmService) factories.get(2).create(config, context);
            try {
                RecordingListener listener = new RecordingListener();
                service.stream(new LlmRequest(List.of(LlmMessage.user("hello")), List.of()), listener);
                assertThat(listener.awaitTerminal().text()).isEqualTo("Hi");
                assertThat(listener.completed()).isTrue();
            } finally {
                service.close();
            }
        }
    }
}
