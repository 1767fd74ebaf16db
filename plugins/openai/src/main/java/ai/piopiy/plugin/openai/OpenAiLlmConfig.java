package ai.piopiy.plugin.openai;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.RetryPolicy;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.Secret;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;

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

    public static final double DEFAULT_TEMPERATURE = 0.7;
    public static final int DEFAULT_MAX_TOKENS = 1000;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public OpenAiLlmConfig {
        requireNonNull(flavor, "flavor is null");
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(model, "model is null");
        requireNonNull(retry, "retry is null");
        requireNonNull(timeout, "timeout is null");
        if (apiKey.isEmpty() && flavor.apiKeyEnv().isPresent()) {
            throw new IllegalArgumentException(flavor.id() + " needs an API key (" + flavor.apiKeyEnv().get() + ")");
        }
        if (HttpUrl.parse(baseUrl) == null) {
            throw new IllegalArgumentException("baseUrl is not an http(s) URL: " + baseUrl);
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("model is blank");
        }
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature is not within 0..2: " + temperature);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens is not positive: " + maxTokens);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout is not positive: " + timeout);
        }
    }

    /** The defaults of {@code flavor} with {@code apiKey} (null for a keyless Ollama). */
    public static OpenAiLlmConfig defaults(OpenAiFlavor flavor, Secret apiKey) {
        return new OpenAiLlmConfig(flavor, Optional.ofNullable(apiKey), flavor.defaultBaseUrl(), flavor.defaultModel(),
                DEFAULT_TEMPERATURE, DEFAULT_MAX_TOKENS, RetryPolicy.DEFAULT, DEFAULT_TIMEOUT);
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
        String baseUrl = config.string("base_url", flavor.defaultBaseUrl());
        if (HttpUrl.parse(baseUrl) == null) {
            throw new ConfigException(config.pathOf("base_url"), "expected an http or https URL but got \"" + baseUrl + "\"");
        }
        String model = config.string("model", flavor.defaultModel());
        if (model.isBlank()) {
            throw new ConfigException(config.pathOf("model"), "must not be blank");
        }
        double temperature = config.decimal("temperature", DEFAULT_TEMPERATURE, 0, 2);
        int maxTokens = config.integer("max_tokens", DEFAULT_MAX_TOKENS);
        if (maxTokens < 1) {
            throw new ConfigException(config.pathOf("max_tokens"), "expected a positive integer but got " + maxTokens);
        }
        int maxRetries = config.integer("max_retries", RetryPolicy.DEFAULT.maxRetries());
        if (maxRetries < 0 || maxRetries > 10) {
            throw new ConfigException(config.pathOf("max_retries"), "expected an integer within 0..10 but got " + maxRetries);
        }
        double timeoutSeconds = config.decimal("timeout", DEFAULT_TIMEOUT.toSeconds(), 1, 600);
        return new OpenAiLlmConfig(flavor, apiKey, baseUrl, model, temperature, maxTokens,
                RetryPolicy.DEFAULT.withMaxRetries(maxRetries), Duration.ofMillis((long) (timeoutSeconds * 1000)));
    }
}
