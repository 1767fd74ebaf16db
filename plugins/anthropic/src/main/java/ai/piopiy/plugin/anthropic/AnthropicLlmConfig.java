package ai.piopiy.plugin.anthropic;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.LlmSettings;
import ai.piopiy.plugin.llmhttp.RetryPolicy;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.Secret;
import java.time.Duration;

/**
 * Settings of Claude through Anthropic's Messages API, with the Python SDK's parameters
 * ({@code AnthropicLLMService(api_key, model, temperature=0.7, max_tokens=1000)}); tools come with
 * each request.
 *
 * @param baseUrl the API root; {@code /v1/messages} is appended
 * @param temperature 0 to 1 (Anthropic's range)
 * @param maxTokens the longest answer, in tokens (the API requires it)
 * @param retry retries of 408/409/429/5xx/529 and failed connections before any output
 * @param timeout the longest silence tolerated from the server while waiting for the next bytes
 */
public record AnthropicLlmConfig(
        Secret apiKey,
        String baseUrl,
        String model,
        double temperature,
        int maxTokens,
        RetryPolicy retry,
        Duration timeout) {

    public static final String API_KEY_ENV = "ANTHROPIC_API_KEY";
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    public static final String DEFAULT_MODEL = "claude-sonnet-4-5";

    public AnthropicLlmConfig {
        requireNonNull(apiKey, "apiKey is null");
        LlmSettings.check(baseUrl, model, temperature, 1, maxTokens, retry, timeout);
    }

    public static AnthropicLlmConfig of(Secret apiKey) {
        return new AnthropicLlmConfig(apiKey, DEFAULT_BASE_URL, DEFAULT_MODEL, LlmSettings.DEFAULT_TEMPERATURE,
                LlmSettings.DEFAULT_MAX_TOKENS, RetryPolicy.DEFAULT, LlmSettings.DEFAULT_TIMEOUT);
    }

    public AnthropicLlmConfig withModel(String newModel) {
        return new AnthropicLlmConfig(apiKey, baseUrl, newModel, temperature, maxTokens, retry, timeout);
    }

    public AnthropicLlmConfig withBaseUrl(String newBaseUrl) {
        return new AnthropicLlmConfig(apiKey, newBaseUrl, model, temperature, maxTokens, retry, timeout);
    }

    public AnthropicLlmConfig withRetry(RetryPolicy newRetry) {
        return new AnthropicLlmConfig(apiKey, baseUrl, model, temperature, maxTokens, newRetry, timeout);
    }

    /**
     * Reads a manifest's settings: {@code api_key} (else {@code ANTHROPIC_API_KEY}), {@code base_url},
     * {@code model}, {@code temperature}, {@code max_tokens}, {@code max_retries}, {@code timeout} (seconds).
     */
    public static AnthropicLlmConfig from(ProviderConfig config) {
        requireNonNull(config, "config is null");
        Secret apiKey = config.secret("api_key", API_KEY_ENV);
        LlmSettings settings = LlmSettings.read(config, DEFAULT_BASE_URL, DEFAULT_MODEL, 1);
        return new AnthropicLlmConfig(apiKey, settings.baseUrl(), settings.model(), settings.temperature(),
                settings.maxTokens(), settings.retry(), settings.timeout());
    }
}
