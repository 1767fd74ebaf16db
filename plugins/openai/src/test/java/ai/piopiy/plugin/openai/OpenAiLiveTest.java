package ai.piopiy.plugin.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.piopiy.plugin.llmhttp.testing.RecordingListener;
import ai.piopiy.plugin.llmhttp.testing.TestingProviderContext;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.ToolDefinition;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.testing.LiveKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Talks to the real services when their keys are set (or a local Ollama runs); skipped with the reason otherwise. */
class OpenAiLiveTest {

    private static final LlmRequest WEATHER = new LlmRequest(
            List.of(LlmMessage.system("You are a phone agent. Use tools when they help."), LlmMessage.user("What is the weather in Paris?")),
            List.of(new ToolDefinition("get_weather", "Current weather for a city",
                    "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}")));

    private static void talk(OpenAiLlmConfig config) throws InterruptedException {
        try (TestingProviderContext context = new TestingProviderContext();
                OpenAiLlmService service = new OpenAiLlmService(config, context)) {
            RecordingListener listener = new RecordingListener();
            service.stream(WEATHER, listener);
            listener.awaitTerminal();
            assertThat(listener.completed()).as("%s", listener.events()).isTrue();
            assertThat(listener.toolCalls()).singleElement().satisfies(call -> {
                assertThat(call.name()).isEqualTo("get_weather");
                assertThat(call.argumentsJson()).contains("Paris");
            });
            System.out.println(config.flavor().id() + " live: " + listener.events() + " " + context.recordedMetrics());
            assertThat(context.recordedMetrics()).hasAtLeastOneElementOfType(Metric.TimeToFirstByte.class);
        }
    }

    @Test
    void openai() throws InterruptedException {
        talk(OpenAiLlmConfig.openai(Secret.of(LiveKey.require("OPENAI_API_KEY"))));
    }

    @Test
    void groq() throws InterruptedException {
        talk(OpenAiLlmConfig.groq(Secret.of(LiveKey.require("GROQ_API_KEY"))));
    }

    @Test
    void ollama() throws InterruptedException {
        boolean running;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 11434), 200);
            running = true;
        } catch (IOException e) {
            running = false;
            System.out.println("live test skipped: no Ollama on 127.0.0.1:11434");
        }
        assumeTrue(running, "no Ollama on 127.0.0.1:11434");
        talk(OpenAiLlmConfig.ollama());
    }
}
