package ai.piopiy.plugin.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.llmhttp.testing.RecordingListener;
import ai.piopiy.plugin.llmhttp.testing.TestingProviderContext;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.ToolDefinition;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.testing.LiveKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Talks to the real Messages API when ANTHROPIC_API_KEY is set; skipped with the reason otherwise. */
class AnthropicLiveTest {

    @Test
    void askForTheWeather() throws InterruptedException {
        String key = LiveKey.require("ANTHROPIC_API_KEY");
        LlmRequest request = new LlmRequest(
                List.of(LlmMessage.system("You are a phone agent. Use tools when they help."), LlmMessage.user("What is the weather in Paris?")),
                List.of(new ToolDefinition("get_weather", "Current weather for a city",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}")));
        try (TestingProviderContext context = new TestingProviderContext();
                AnthropicLlmService service = new AnthropicLlmService(AnthropicLlmConfig.of(Secret.of(key)), context)) {
            RecordingListener listener = new RecordingListener();
            service.stream(request, listener);
            listener.awaitTerminal();
            assertThat(listener.completed()).as("%s", listener.events()).isTrue();
            assertThat(listener.toolCalls()).singleElement().satisfies(call -> assertThat(call.argumentsJson()).contains("Paris"));
            assertThat(context.recordedMetrics()).hasAtLeastOneElementOfType(Metric.TimeToFirstByte.class);
            System.out.println("anthropic live: " + listener.events() + " " + context.recordedMetrics());
        }
    }
}
