package ai.piopiy.plugin.googlellm;

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

/** The built plugin ZIP, loaded in isolation from the test classpath, finds its factory and streams. */
class GoogleLlmPluginZipIT {

    @Test
    void loadsAndStreamsFromTheZipAlone(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                MockWebServer server = new MockWebServer();
                TestingProviderContext context = new TestingProviderContext()) {
            List<ProviderFactory> factories = plugin.checkPlugin("google-llm", ProviderKind.LLM,
                    List.of("okhttp-jvm-", "piopiy-llm-http-", "jackson-databind-"), "google-llm");

            server.start();
            server.enqueue(sse("""
                    data: {"candidates": [{"content": {"parts": [{"text": "Hi"}],"role": "model"},"finishReason": "STOP","index": 0}]}\r
                    \r
                    """));
            ProviderConfig config = ProviderConfig.of("pipeline.llm",
                    Map.of("base_url", server.url("/").toString(), "api_key", "AIza-test"), Map.of());
            LlmService service = (LlmService) factories.get(0).create(config, context);
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
