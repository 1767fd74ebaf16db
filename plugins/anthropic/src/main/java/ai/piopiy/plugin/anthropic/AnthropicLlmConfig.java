package ai.piopiy.plugin.anthropic;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.RetryPolicy;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.Secret;
import java.time.Duration;
import okhttp3.HttpUrl;

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
    public static final double DEFAULT_TEMPERATURE = 0.7;
    public static final int DEFAULT_MAX_TOKENS = 1000;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public AnthropicLlmConfig {
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(model, "model is null");
        requireNonNull(retry, "retry is null");
        requireNonNull(timeout, "timeout is null");
        if (HttpUrl.parse(baseUrl) == null) {
            throw new IllegalArgumentException("baseUrl is not an http(s) URL: " + baseUrl);
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("model is blank");
        }
        if (!(temperature >= 0 && temperature <= 1)) {
            throw new IllegalArgumentException("temperature is not within 0..1: " + temperature);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens is not positive: " + maxTokens);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout is not positive: " + timeout);
        }
    }

    public static AnthropicLlmConfig of(Secret apiKey) {
        return new AnthropicLlmConfig(apiKey, DEFAULT_BASE_URL, DEFAULT_MODEL, DEFAULT_TEMPERATURE, DEFAULT_MAX_TOKENS,
                RetryPolicy.DEFAULT, DEFAULT_TIMEOUT);
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
        String baseUrl = config.string("base_url", DEFAULT_BASE_URL);
        if (HttpUrl.parse(baseUrl) == null) {
            throw new ConfigException(config.pathOf("base_url"), "expected an http or https URL but got \"" + baseUrl + "\"");
        }
        String model = config.string("model", DEFAULT_MODEL);
        if (model.isBlank()) {
            throw new ConfigException(config.pathOf("model"), "must not be blank");
        }
        double temperature = config.decimal("temperature", DEFAULT_TEMPERATURE, 0, 1);
        int maxTokens = config.integer("max_tokens", DEFAULT_MAX_TOKENS);
        if (maxTokens < 1) {
            throw new ConfigException(config.pathOf("max_tokens"), "expected a positive integer but got " + maxTokens);
        }
        int maxRetries = config.integer("max_retries", RetryPolicy.DEFAULT.maxRetries());
        if (maxRetries < 0 || maxRetries > 10) {
            throw new ConfigException(config.pathOf("max_retries"), "expected an integer within 0..10 but got " + maxRetries);
        }
        double timeoutSeconds = config.decimal("timeout", DEFAULT_TIMEOUT.toSeconds(), 1, 600);
        return new AnthropicLlmConfig(apiKey, baseUrl, model, temperature, maxTokens,
                RetryPolicy.DEFAULT.withMaxRetries(maxRetries), Duration.ofMillis((long) (timeoutSeconds * 1000)));
    }
}
