package ai.piopiy.plugin.googlellm;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.LlmSettings;
import ai.piopiy.plugin.llmhttp.RetryPolicy;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.Secret;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Settings of Gemini through the Gemini API, with the Python SDK's parameters
 * ({@code GoogleLLMService(api_key, model, temperature=0.7, max_tokens=1000)}); tools come with each
 * request.
 *
 * @param baseUrl the API root; {@code /v1beta/models/{model}:streamGenerateContent?alt=sse} is appended
 * @param model a Gemini model id ({@code gemini-2.5-flash}); a leading {@code models/} is accepted
 * @param temperature 0 to 2 (Gemini's range)
 * @param maxTokens the longest answer, in tokens ({@code generationConfig.maxOutputTokens}); a thinking
 *     model's thoughts count against it
 * @param thinkingBudget {@code generationConfig.thinkingConfig.thinkingBudget} when present: 0 turns
 *     thinking off (the fastest first words on 2.5 Flash), -1 lets the model decide, more is a token
 *     budget; absent, the model's own default applies
 * @param retry retries of 408/409/429/5xx and failed connections before any output
 * @param timeout the longest silence tolerated from the server while waiting for the next bytes
 */
public record GoogleLlmConfig(
        Secret apiKey,
        String baseUrl,
        String model,
        double temperature,
        int maxTokens,
        OptionalInt thinkingBudget,
        RetryPolicy retry,
        Duration timeout) {

    /** Where the key is looked for, first to last, as Google's own SDKs do (GOOGLE_API_KEY wins when both are set). */
    public static final String API_KEY_ENV = "GOOGLE_API_KEY";
    public static final String ALTERNATE_API_KEY_ENV = "GEMINI_API_KEY";
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
    public static final String DEFAULT_MODEL = "gemini-2.5-flash";
    public static final double MAX_TEMPERATURE = 2;

    public GoogleLlmConfig {
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(thinkingBudget, "thinkingBudget is null");
        LlmSettings.check(baseUrl, model, temperature, MAX_TEMPERATURE, maxTokens, retry, timeout);
        if (thinkingBudget.isPresent() && thinkingBudget.getAsInt() < -1) {
            throw new IllegalArgumentException("thinkingBudget is below -1: " + thinkingBudget.getAsInt());
        }
    }

    public static GoogleLlmConfig of(Secret apiKey) {
        return new GoogleLlmConfig(apiKey, DEFAULT_BASE_URL, DEFAULT_MODEL, LlmSettings.DEFAULT_TEMPERATURE,
                LlmSettings.DEFAULT_MAX_TOKENS, OptionalInt.empty(), RetryPolicy.DEFAULT, LlmSettings.DEFAULT_TIMEOUT);
    }

    public GoogleLlmConfig withModel(String newModel) {
        return new GoogleLlmConfig(apiKey, baseUrl, newModel, temperature, maxTokens, thinkingBudget, retry, timeout);
    }

    public GoogleLlmConfig withBaseUrl(String newBaseUrl) {
        return new GoogleLlmConfig(apiKey, newBaseUrl, model, temperature, maxTokens, thinkingBudget, retry, timeout);
    }

    public GoogleLlmConfig withThinkingBudget(int tokens) {
        return new GoogleLlmConfig(apiKey, baseUrl, model, temperature, maxTokens, OptionalInt.of(tokens), retry, timeout);
    }

    public GoogleLlmConfig withRetry(RetryPolicy newRetry) {
        return new GoogleLlmConfig(apiKey, baseUrl, model, temperature, maxTokens, thinkingBudget, newRetry, timeout);
    }

    /**
     * Reads a manifest's settings: {@code api_key} (else {@code GOOGLE_API_KEY}, else {@code GEMINI_API_KEY}),
     * {@code base_url}, {@code model}, {@code temperature}, {@code max_tokens}, {@code thinking_budget},
     * {@code max_retries}, {@code timeout} (seconds).
     */
    public static GoogleLlmConfig from(ProviderConfig config) {
        requireNonNull(config, "config is null");
        Secret apiKey = config.optionalSecret("api_key", API_KEY_ENV)
                .or(() -> config.optionalSecret("api_key", ALTERNATE_API_KEY_ENV))
                .orElseThrow(() -> new ConfigException(config.pathOf("api_key"), "missing; set it in the manifest or in the "
                        + "environment variable " + API_KEY_ENV + " (or " + ALTERNATE_API_KEY_ENV + ")"));
        LlmSettings settings = LlmSettings.read(config, DEFAULT_BASE_URL, DEFAULT_MODEL, MAX_TEMPERATURE);
        Optional<Integer> budget = config.optionalInteger("thinking_budget");
        if (budget.isPresent() && budget.get() < -1) {
            throw new ConfigException(config.pathOf("thinking_budget"),
                    "expected -1 (the model decides), 0 (off) or a token budget but got " + budget.get());
        }
        return new GoogleLlmConfig(apiKey, settings.baseUrl(), settings.model(), settings.temperature(), settings.maxTokens(),
                budget.map(OptionalInt::of).orElseGet(OptionalInt::empty), settings.retry(), settings.timeout());
    }
}
