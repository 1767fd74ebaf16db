package ai.piopiy.plugin.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.testing.PluginZip;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built plugin ZIP, loaded apart from the test classpath, finds its factory and answers (Jackson bundled). */
class ScriptedPluginZipIT {

    @Test
    void loadsAndAnswersFromTheZipAlone(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                RecordingProviderContext context = new RecordingProviderContext("scripted")) {
            ProviderFactory factory = plugin.checkPlugin("scripted", ProviderKind.LLM, List.of("jackson-databind-"), "scripted").getFirst();

            ProviderConfig config = ProviderConfig.of("pipeline.llm", Map.of(
                    "rules", List.of(Map.of("match", "hello", "reply", "Hi there.")), "first_token_delay_ms", 0), Map.of());
            try (LlmService service = (LlmService) factory.create(config, context)) {
                RecordingLlmListener listener = new RecordingLlmListener();
                service.stream(new LlmRequest(List.of(LlmMessage.user("hello")), List.of()), listener);

                assertThat(listener.untilTerminal()).startsWith("Hi", " there.").endsWith(RecordingLlmListener.COMPLETE);
            }
        }
    }
}
