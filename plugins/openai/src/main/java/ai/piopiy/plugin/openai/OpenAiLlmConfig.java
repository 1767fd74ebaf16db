package ai.piopiy.plugin.openai;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.LlmSettings;
import ai.piopiy.plugin.llmhttp.RetryPolicy;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.Secret;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of an OpenAI-compatible LLM, with the Python SDK's parameters and defaults
 * ({@code OpenAILLMService(api_key, model="gpt-4o-mini", temperature=0.7, max_tokens=1000)}); tools
 * come with each request. Groq and Ollama differ only in their defaults, given by the flavor.
 *
 * @param apiKey required by {@code openai} and {@code groq}; optional for {@code ollama}
 * @param baseUrl the API root; {@code /chat/completions} is appended
 * @param temperature 0 to 2
 * @param maxTokens the longest answer, in tokens
 * @param retry retries of 408/409/429/5xx and failed connections before any output
 * @param timeout the longest silence tolerated from the server while waiting for the next bytes
 */
public record OpenAiLlmConfig(
        OpenAiFlavor flavor,
        Optional<Secret> apiKey,
        String baseUrl,
        String model,
        double temperature,
        int maxTokens,
        RetryPolicy retry,
        Duration timeout) {

    public OpenAiLlmConfig {
        requireNonNull(flavor, "flavor is null");
        requireNonNull(apiKey, "apiKey is null");
        if (apiKey.isEmpty() && flavor.apiKeyEnv().isPresent()) {
            throw new IllegalArgumentException(flavor.id() + " needs an API key (" + flavor.apiKeyEnv().get() + ")");
        }
        LlmSettings.check(baseUrl, model, temperature, 2, maxTokens, retry, timeout);
    }

    /** The defaults of {@code flavor} with {@code apiKey} (null for a keyless Ollama). */
    public static OpenAiLlmConfig defaults(OpenAiFlavor flavor, Secret apiKey) {
        return new OpenAiLlmConfig(flavor, Optional.ofNullable(apiKey), flavor.defaultBaseUrl(), flavor.defaultModel(),
                LlmSettings.DEFAULT_TEMPERATURE, LlmSettings.DEFAULT_MAX_TOKENS, RetryPolicy.DEFAULT, LlmSettings.DEFAULT_TIMEOUT);
    }

    public static OpenAiLlmConfig openai(Secret apiKey) {
        return defaults(OpenAiFlavor.OPENAI, requireNonNull(apiKey, "apiKey is null"));
    }

    public static OpenAiLlmConfig groq(Secret apiKey) {
        return defaults(OpenAiFlavor.GROQ, requireNonNull(apiKey, "apiKey is null"));
    }

    public static OpenAiLlmConfig ollama() {
        return defaults(OpenAiFlavor.OLLAMA, null);
    }

    public OpenAiLlmConfig withModel(String newModel) {
        return new OpenAiLlmConfig(flavor, apiKey, baseUrl, newModel, temperature, maxTokens, retry, timeout);
    }

    public OpenAiLlmConfig withBaseUrl(String newBaseUrl) {
        return new OpenAiLlmConfig(flavor, apiKey, newBaseUrl, model, temperature, maxTokens, retry, timeout);
    }

    public OpenAiLlmConfig withRetry(RetryPolicy newRetry) {
        return new OpenAiLlmConfig(flavor, apiKey, baseUrl, model, temperature, maxTokens, newRetry, timeout);
    }

    /**
     * Reads a manifest's settings: {@code api_key} (else the flavor's environment variable),
     * {@code base_url}, {@code model}, {@code temperature}, {@code max_tokens}, {@code max_retries},
     * {@code timeout} (seconds).
     */
    public static OpenAiLlmConfig from(ProviderConfig config, OpenAiFlavor flavor) {
        requireNonNull(config, "config is null");
        requireNonNull(flavor, "flavor is null");
        Optional<Secret> apiKey = flavor.apiKeyEnv().isPresent()
                ? Optional.of(config.secret("api_key", flavor.apiKeyEnv().get()))
                : config.optionalSecret("api_key", null);
        LlmSettings settings = LlmSettings.read(config, flavor.defaultBaseUrl(), flavor.defaultModel(), 2);
        return new OpenAiLlmConfig(flavor, apiKey, settings.baseUrl(), settings.model(), settings.temperature(),
                settings.maxTokens(), settings.retry(), settings.timeout());
    }
}
