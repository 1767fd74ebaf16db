package ai.piopiy.plugin.googlellm;

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
import java.util.OptionalInt;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GoogleLlmProviderFactoryTest {

    private static final Map<String, String> ENV = Map.of("GOOGLE_API_KEY", "AIza-env");

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
            assertThat(f.id()).isEqualTo("google-llm");
            assertThat(f.kind()).isEqualTo(ProviderKind.LLM);
            assertThat(f.secretKeys()).containsExactly("api_key");
            assertThat(f.description()).contains("gemini-2.5-flash");
        });
    }

    @Test
    void defaults() {
        GoogleLlmConfig c = GoogleLlmConfig.from(config(Map.of(), ENV));
        assertThat(c.baseUrl()).isEqualTo("https://generativelanguage.googleapis.com");
        assertThat(c.model()).isEqualTo("gemini-2.5-flash");
        assertThat(c.temperature()).isEqualTo(0.7);
        assertThat(c.maxTokens()).isEqualTo(1000);
        assertThat(c.thinkingBudget()).isEmpty();
        assertThat(c.retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.apiKey().source()).isEqualTo("GOOGLE_API_KEY");
        assertThat(c).isEqualTo(GoogleLlmConfig.of(c.apiKey()));
        try (GoogleLlmService service = new GoogleLlmService(c, context)) {
            assertThat(service.toString()).isEqualTo("GoogleLlmService[gemini-2.5-flash at "
                    + "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse]");
        }
    }

    @Test
    void readsEverySetting() {
        ProviderConfig config = config(Map.of("api_key", "AIza-manifest", "base_url", "http://127.0.0.1:9/gemini-proxy/",
                "model", "models/gemini-2.5-flash-lite", "temperature", 1.5, "max_tokens", 300, "thinking_budget", 0,
                "max_retries", 1, "timeout", 5), ENV);

        GoogleLlmService service = new GoogleLlmProviderFactory().create(config, context);
        try {
            GoogleLlmConfig c = service.config();
            assertThat(c.apiKey().reveal()).isEqualTo("AIza-manifest");
            assertThat(c.baseUrl()).isEqualTo("http://127.0.0.1:9/gemini-proxy/");
            assertThat(c.model()).isEqualTo("models/gemini-2.5-flash-lite");
            assertThat(c.temperature()).isEqualTo(1.5);
            assertThat(c.maxTokens()).isEqualTo(300);
            assertThat(c.thinkingBudget()).isEqualTo(OptionalInt.of(0));
            assertThat(c.retry().maxRetries()).isEqualTo(1);
            assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.unreadPaths()).isEmpty();
            assertThat(service.toString())
                    .contains("http://127.0.0.1:9/gemini-proxy/v1beta/models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse");
            assertThat(service.toString() + c).doesNotContain("AIza-manifest");
        } finally {
            service.close();
        }
    }

    @Test
    void acceptsGeminiApiKeyButPrefersGoogleApiKeyAsGooglesSdksDo() {
        assertThat(GoogleLlmConfig.from(config(Map.of(), Map.of("GEMINI_API_KEY", "AIza-gemini"))).apiKey().source())
                .isEqualTo("GEMINI_API_KEY");
        GoogleLlmConfig both = GoogleLlmConfig.from(config(Map.of(), Map.of("GEMINI_API_KEY", "AIza-gemini", "GOOGLE_API_KEY", "AIza-google")));
        assertThat(both.apiKey().reveal()).isEqualTo("AIza-google");
    }

    @Test
    void errorsNameThePathOrTheEnvironmentVariables() {
        assertThatThrownBy(() -> new GoogleLlmProviderFactory().create(config(Map.of(), Map.of("GOOGLE_API_KEY", " ")), context))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.llm.api_key: missing; set it in the manifest or in the environment variable GOOGLE_API_KEY"
                        + " (or GEMINI_API_KEY)");
        assertThatThrownBy(() -> GoogleLlmConfig.from(config(Map.of("temperature", 2.5), ENV)))
                .hasMessageStartingWith("pipeline.llm.temperature: expected a number within 0.0..2.0");
        assertThatThrownBy(() -> GoogleLlmConfig.from(config(Map.of("max_tokens", "lots"), ENV)))
                .hasMessage("pipeline.llm.max_tokens: expected an integer but got the string \"lots\"");
        assertThatThrownBy(() -> GoogleLlmConfig.from(config(Map.of("thinking_budget", -2), ENV)))
                .hasMessage("pipeline.llm.thinking_budget: expected -1 (the model decides), 0 (off) or a token budget but got -2");
        assertThatThrownBy(() -> GoogleLlmConfig.from(config(Map.of("base_url", "generativelanguage.googleapis.com"), ENV)))
                .hasMessageStartingWith("pipeline.llm.base_url: expected an http or https URL");
        ProviderConfig typo = config(Map.of("modle", "gemini-2.5-pro"), ENV);
        new GoogleLlmProviderFactory().create(typo, context).close();
        assertThat(typo.unreadPaths()).containsExactly("pipeline.llm.modle");
    }

    @Test
    void configFromCodeChecksItsValues() {
        GoogleLlmConfig c = GoogleLlmConfig.of(Secret.of("k"));
        assertThatThrownBy(() -> c.withThinkingBudget(-5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("thinkingBudget is below -1: -5");
        assertThatThrownBy(() -> c.withModel(" ")).isInstanceOf(IllegalArgumentException.class).hasMessage("model is blank");
        assertThat(c.withThinkingBudget(-1).thinkingBudget()).isEqualTo(OptionalInt.of(-1));
    }

    @Test
    void keyNeverShowsInConfigText() {
        assertThat(GoogleLlmConfig.of(Secret.of("AIza-hidden")).toString()).doesNotContain("AIza-hidden").contains("****");
    }
}
