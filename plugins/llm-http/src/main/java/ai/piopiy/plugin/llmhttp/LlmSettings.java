package ai.piopiy.plugin.llmhttp;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import java.time.Duration;
import okhttp3.HttpUrl;

/**
 * The settings every HTTP chat provider has, with the Python SDK's defaults (temperature 0.7,
 * max_tokens 1000): read from a manifest with path-style errors, or checked when a provider's config
 * record is made from code.
 */
public record LlmSettings(String baseUrl, String model, double temperature, int maxTokens, RetryPolicy retry, Duration timeout) {

    public static final double DEFAULT_TEMPERATURE = 0.7;
    public static final int DEFAULT_MAX_TOKENS = 1000;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_RETRIES = 10;

    /** Throws IllegalArgumentException naming the first value that is wrong. */
    public static void check(String baseUrl, String model, double temperature, double maxTemperature, int maxTokens,
            RetryPolicy retry, Duration timeout) {
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
        if (!(temperature >= 0 && temperature <= maxTemperature)) {
            throw new IllegalArgumentException("temperature is not within 0.." + maxTemperature + ": " + temperature);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens is not positive: " + maxTokens);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout is not positive: " + timeout);
        }
    }

    /**
     * Reads {@code base_url}, {@code model}, {@code temperature} (0 to {@code maxTemperature}),
     * {@code max_tokens}, {@code max_retries} (0 to 10) and {@code timeout} (seconds, 1 to 600).
     */
    public static LlmSettings read(ProviderConfig config, String defaultBaseUrl, String defaultModel, double maxTemperature) {
        String baseUrl = config.string("base_url", defaultBaseUrl);
        if (HttpUrl.parse(baseUrl) == null) {
            throw new ConfigException(config.pathOf("base_url"), "expected an http or https URL but got \"" + baseUrl + "\"");
        }
        String model = config.string("model", defaultModel);
        if (model.isBlank()) {
            throw new ConfigException(config.pathOf("model"), "must not be blank");
        }
        double temperature = config.decimal("temperature", DEFAULT_TEMPERATURE, 0, maxTemperature);
        int maxTokens = config.integer("max_tokens", DEFAULT_MAX_TOKENS);
        if (maxTokens < 1) {
            throw new ConfigException(config.pathOf("max_tokens"), "expected a positive integer but got " + maxTokens);
        }
        int maxRetries = config.integer("max_retries", RetryPolicy.DEFAULT.maxRetries());
        if (maxRetries < 0 || maxRetries > MAX_RETRIES) {
            throw new ConfigException(config.pathOf("max_retries"),
                    "expected an integer within 0.." + MAX_RETRIES + " but got " + maxRetries);
        }
        double timeoutSeconds = config.decimal("timeout", DEFAULT_TIMEOUT.toSeconds(), 1, 600);
        return new LlmSettings(baseUrl, model, temperature, maxTokens, RetryPolicy.DEFAULT.withMaxRetries(maxRetries),
                Duration.ofMillis((long) (timeoutSeconds * 1000)));
    }
}
