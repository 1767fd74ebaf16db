package ai.piopiy.plugin.anthropic;

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
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnthropicProviderFactoryTest {

    private static final Map<String, String> ENV = Map.of("ANTHROPIC_API_KEY", "sk-ant-env");

    private final TestingProviderContext context = new TestingProviderContext(ENV);

    @AfterEach
    void stop() {
        context.close();
    }

    private static ProviderConfig config(Map<String, ?> values, Map<String, String> env) {
        return ProviderConfig.of("pipeline.llm", values, env);
    }

    @Test
    void serviceLoaderFindsIt() {
        List<ProviderFactory> factories = ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get).toList();
        assertThat(factories).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("anthropic");
            assertThat(f.kind()).isEqualTo(ProviderKind.LLM);
            assertThat(f.secretKeys()).containsExactly("api_key");
            assertThat(f.description()).contains("claude-sonnet-4-5");
        });
    }

    @Test
    void defaults() {
        AnthropicLlmConfig c = AnthropicLlmConfig.from(config(Map.of(), ENV));
        assertThat(c.baseUrl()).isEqualTo("https://api.anthropic.com");
        assertThat(c.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(c.temperature()).isEqualTo(0.7);
        assertThat(c.maxTokens()).isEqualTo(1000);
        assertThat(c.retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.apiKey().source()).isEqualTo("ANTHROPIC_API_KEY");
        assertThat(c).isEqualTo(AnthropicLlmConfig.of(c.apiKey()));
    }

    @Test
    void readsEverySetting() {
        ProviderConfig config = config(Map.of("api_key", "sk-ant-manifest", "base_url", "http://127.0.0.1:9/",
                "model", "claude-haiku-4-5", "temperature", "0.3", "max_tokens", 300, "max_retries", 1, "timeout", 5), ENV);

        AnthropicLlmService service = new AnthropicLlmProviderFactory().create(config, context);
        try {
            AnthropicLlmConfig c = service.config();
            assertThat(c.apiKey().reveal()).isEqualTo("sk-ant-manifest");
            assertThat(c.baseUrl()).isEqualTo("http://127.0.0.1:9/");
            assertThat(c.model()).isEqualTo("claude-haiku-4-5");
            assertThat(c.temperature()).isEqualTo(0.3);
            assertThat(c.maxTokens()).isEqualTo(300);
            assertThat(c.retry().maxRetries()).isEqualTo(1);
            assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.unreadPaths()).isEmpty();
            assertThat(service.toString()).contains("http://127.0.0.1:9/v1/messages");
            assertThat(service.toString() + c).doesNotContain("sk-ant-manifest");
        } finally {
            service.close();
        }
    }

    @Test
    void errorsNameThePathOrTheEnvironmentVariable() {
        assertThatThrownBy(() -> new AnthropicLlmProviderFactory().create(config(Map.of(), Map.of()), context))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.llm.api_key: missing; set it in the manifest or in the environment variable ANTHROPIC_API_KEY");
        assertThatThrownBy(() -> AnthropicLlmConfig.from(config(Map.of("temperature", 1.5), ENV)))
                .hasMessageStartingWith("pipeline.llm.temperature: expected a number within 0.0..1.0");
        assertThatThrownBy(() -> AnthropicLlmConfig.from(config(Map.of("max_tokens", "lots"), ENV)))
                .hasMessage("pipeline.llm.max_tokens: expected an integer but got the string \"lots\"");
        assertThatThrownBy(() -> AnthropicLlmConfig.from(config(Map.of("base_url", "api.anthropic.com"), ENV)))
                .hasMessageStartingWith("pipeline.llm.base_url: expected an http or https URL");
        ProviderConfig typo = config(Map.of("modle", "claude-haiku-4-5"), ENV);
        new AnthropicLlmProviderFactory().create(typo, context).close();
        assertThat(typo.unreadPaths()).containsExactly("pipeline.llm.modle");
    }

    @Test
    void keyNeverShowsInConfigText() {
        assertThat(AnthropicLlmConfig.of(Secret.of("sk-ant-hidden")).toString()).doesNotContain("sk-ant-hidden").contains("****");
    }
}
