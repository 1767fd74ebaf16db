package ai.piopiy.plugin.googlellm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.llmhttp.testing.RecordingListener;
import ai.piopiy.plugin.llmhttp.testing.TestingProviderContext;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.llm.ToolDefinition;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.testing.LiveKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Talks to the real Gemini API when GOOGLE_API_KEY (or GEMINI_API_KEY) is set; skipped with the reason otherwise. */
class GoogleLlmLiveTest {

    private static final ToolDefinition WEATHER = new ToolDefinition("get_weather", "Current weather for a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");

    @Test
    void callsAToolThenAnswersWithItsResult() throws InterruptedException {
        // Google's SDKs read either variable, GOOGLE_API_KEY first
        boolean onlyGemini = System.getenv("GOOGLE_API_KEY") == null && System.getenv("GEMINI_API_KEY") != null;
        String key = LiveKey.require(onlyGemini ? "GEMINI_API_KEY" : "GOOGLE_API_KEY");
        List<LlmMessage> conversation = List.of(LlmMessage.system("You are a phone agent. Use tools when they help. Be brief."),
                LlmMessage.user("What is the weather in Paris?"));
        try (TestingProviderContext context = new TestingProviderContext();
                GoogleLlmService service = new GoogleLlmService(GoogleLlmConfig.of(Secret.of(key)).withThinkingBudget(0), context)) {
            RecordingListener first = new RecordingListener();
            service.stream(new LlmRequest(conversation, List.of(WEATHER)), first);
            first.awaitTerminal();
            assertThat(first.completed()).as("%s", first.events()).isTrue();
            ToolCall call = first.toolCalls().getFirst();
            assertThat(call.argumentsJson()).contains("Paris");

            RecordingListener second = new RecordingListener();
            service.stream(new LlmRequest(List.of(conversation.get(0), conversation.get(1),
                    new LlmMessage.AssistantMessage("", List.of(call)),
                    new LlmMessage.ToolResultMessage(call.id(), call.name(), "{\"forecast\":\"18C and cloudy\"}")), List.of(WEATHER)), second);
            second.awaitTerminal();
            assertThat(second.completed()).as("%s", second.events()).isTrue();
            assertThat(second.text()).contains("18");
            assertThat(context.recordedMetrics()).hasAtLeastOneElementOfType(Metric.TimeToFirstByte.class);
            System.out.println("google-llm live: " + first.events() + " then " + second.events() + " " + context.recordedMetrics());
        }
    }
}
