package ai.piopiy.plugin.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.llmhttp.RetryPolicy;
import ai.piopiy.plugin.llmhttp.testing.TestingProviderContext;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.provider.Secret;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiProviderFactoryTest {

    private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-env-secret", "GROQ_API_KEY", "gsk-env-secret");

    private final TestingProviderContext context = new TestingProviderContext(ENV);

    @AfterEach
    void stop() {
        context.close();
    }

    private static ProviderConfig config(Map<String, ?> values, Map<String, String> env) {
        return ProviderConfig.of("pipeline.llm", values, env);
    }

    @Test
    void serviceLoaderFindsTheThreeLlmProviders() {
        Map<String, ProviderFactory> factories = ServiceLoader.load(ProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.kind() == ProviderKind.LLM)
                .collect(Collectors.toMap(ProviderFactory::id, Function.identity()));

        assertThat(factories).containsOnlyKeys("openai", "groq", "ollama");
        assertThat(factories.values()).allSatisfy(f -> assertThat(f.secretKeys()).containsExactly("api_key"));
        assertThat(factories.get("openai")).isInstanceOf(OpenAiLlmProviderFactory.class);
        assertThat(factories.get("groq").description()).contains("Groq");
    }

    @Test
    void defaultsAreTheSdksAndEachFlavorsOwn() {
        OpenAiLlmConfig openai = OpenAiLlmConfig.from(config(Map.of(), ENV), OpenAiFlavor.OPENAI);
        assertThat(openai.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(openai.model()).isEqualTo("gpt-4o-mini");
        assertThat(openai.temperature()).isEqualTo(0.7);
        assertThat(openai.maxTokens()).isEqualTo(1000);
        assertThat(openai.retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(openai.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(openai.apiKey()).get().extracting(Secret::reveal, Secret::source).containsExactly("sk-env-secret", "OPENAI_API_KEY");
        assertThat(openai).isEqualTo(OpenAiLlmConfig.openai(openai.apiKey().orElseThrow()));

        OpenAiLlmConfig groq = OpenAiLlmConfig.from(config(Map.of(), ENV), OpenAiFlavor.GROQ);
        assertThat(groq.baseUrl()).isEqualTo("https://api.groq.com/openai/v1");
        assertThat(groq.model()).isEqualTo("llama-3.3-70b-versatile");
        assertThat(groq.apiKey()).get().extracting(Secret::reveal).isEqualTo("gsk-env-secret");

        OpenAiLlmConfig ollama = OpenAiLlmConfig.from(config(Map.of(), Map.of()), OpenAiFlavor.OLLAMA);
        assertThat(ollama.baseUrl()).isEqualTo("http://localhost:11434/v1");
        assertThat(ollama.model()).isEqualTo("llama3.2");
        assertThat(ollama.apiKey()).isEmpty();
        assertThat(ollama).isEqualTo(OpenAiLlmConfig.ollama());
    }

    @Test
    void readsEverySetting() {
        ProviderConfig config = config(Map.of(
                "api_key", "sk-manifest", "base_url", "https://proxy.example/v1", "model", "gpt-4.1",
                "temperature", 0.2, "max_tokens", "256", "max_retries", 0, "timeout", 12.5), ENV);

        OpenAiLlmService service = new OpenAiLlmProviderFactory().create(config, context);
        try {
            OpenAiLlmConfig c = service.config();
            assertThat(c.apiKey()).get().extracting(Secret::reveal, Secret::source).containsExactly("sk-manifest", "pipeline.llm.api_key");
            assertThat(c.baseUrl()).isEqualTo("https://proxy.example/v1");
            assertThat(c.model()).isEqualTo("gpt-4.1");
            assertThat(c.temperature()).isEqualTo(0.2);
            assertThat(c.maxTokens()).isEqualTo(256);
            assertThat(c.retry().maxRetries()).isZero();
            assertThat(c.timeout()).isEqualTo(Duration.ofMillis(12_500));
            assertThat(config.unreadPaths()).isEmpty();
            assertThat(service.name()).isEqualTo("openai");
            assertThat(service.toString() + c).doesNotContain("sk-manifest");
        } finally {
            service.close();
        }
    }

    @Test
    void unknownKeysAreLeftUnreadForTheRuntimeToReport() {
        ProviderConfig config = config(Map.of("tmperature", 0.5), ENV);
        new GroqLlmProviderFactory().create(config, context).close();
        assertThat(config.unreadPaths()).containsExactly("pipeline.llm.tmperature");
    }

    @Test
    void missingKeysNameTheirEnvironmentVariables() {
        assertThatThrownBy(() -> new OpenAiLlmProviderFactory().create(config(Map.of(), Map.of()), context))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.llm.api_key: missing; set it in the manifest or in the environment variable OPENAI_API_KEY");
        assertThatThrownBy(() -> new GroqLlmProviderFactory().create(config(Map.of(), Map.of()), context))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("GROQ_API_KEY");
        new OllamaLlmProviderFactory().create(config(Map.of(), Map.of()), context).close();
    }

    @Test
    void mistypedSettingsNameTheirPath() {
        assertThatThrownBy(() -> OpenAiLlmConfig.from(config(Map.of("temperature", "warm"), ENV), OpenAiFlavor.OPENAI))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.llm.temperature: expected a number but got the string \"warm\"");
        assertThatThrownBy(() -> OpenAiLlmConfig.from(config(Map.of("temperature", 2.5), ENV), OpenAiFlavor.OPENAI))
                .hasMessageStartingWith("pipeline.llm.temperature: expected a number within 0.0..2.0");
        assertThatThrownBy(() -> OpenAiLlmConfig.from(config(Map.of("max_tokens", 0), ENV), OpenAiFlavor.OPENAI))
                .hasMessageStartingWith("pipeline.llm.max_tokens: expected a positive integer");
        assertThatThrownBy(() -> OpenAiLlmConfig.from(config(Map.of("base_url", "localhost:11434"), ENV), OpenAiFlavor.OLLAMA))
                .hasMessageStartingWith("pipeline.llm.base_url: expected an http or https URL");
        assertThatThrownBy(() -> OpenAiLlmConfig.from(config(Map.of("model", 4), ENV), OpenAiFlavor.OPENAI))
                .hasMessage("pipeline.llm.model: expected a string but got a number 4");
        assertThatThrownBy(() -> OpenAiLlmConfig.from(config(Map.of("max_retries", 50), ENV), OpenAiFlavor.OPENAI))
                .hasMessageStartingWith("pipeline.llm.max_retries: expected an integer within 0..10");
    }

    @Test
    void keysNeverShowInConfigText() {
        OpenAiLlmConfig config = OpenAiLlmConfig.openai(Secret.of("sk-very-secret"));
        assertThat(config.toString()).doesNotContain("sk-very-secret").contains("****");
        assertThatThrownBy(() -> OpenAiLlmConfig.defaults(OpenAiFlavor.GROQ, null))
                .hasMessageContaining("GROQ_API_KEY");
    }
}
