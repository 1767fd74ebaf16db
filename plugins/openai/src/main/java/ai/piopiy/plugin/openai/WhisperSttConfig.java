package ai.piopiy.plugin.openai;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.RetryPolicy;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.Secret;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of segmented speech recognition through OpenAI's transcription API
 * ({@code POST {base_url}/audio/transcriptions}), with the Python SDK's
 * {@code WhisperSTTService(api_key, model, language)} parameters.
 *
 * @param endpoint the base URL and key
 * @param model {@code whisper-1}, {@code gpt-4o-transcribe}, ... (ignored by whisper.cpp's server)
 * @param language an ISO-639-1 hint ({@code en}); empty lets the model detect it
 * @param prompt text that guides the model's spelling and style; empty for none
 * @param preRoll audio kept from before the VAD's start of speech, so the first syllable is not cut off
 * @param maxSegment the longest speech sent at once; the rest of a longer turn is dropped with a warning
 * @param retry retries of 408/409/429/5xx and failed connections
 * @param timeout the longest wait for the transcription of one segment
 */
public record WhisperSttConfig(
        OpenAiEndpoint endpoint,
        String model,
        Optional<String> language,
        Optional<String> prompt,
        Duration preRoll,
        Duration maxSegment,
        RetryPolicy retry,
        Duration timeout) {

    public static final String DEFAULT_MODEL = "whisper-1";
    public static final Duration DEFAULT_PRE_ROLL = Duration.ofMillis(300);
    /** Two minutes of 48 kHz PCM16 is 11 MB, well under the API's 25 MiB upload limit. */
    public static final Duration DEFAULT_MAX_SEGMENT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public WhisperSttConfig {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(model, "model is null");
        requireNonNull(language, "language is null");
        requireNonNull(prompt, "prompt is null");
        requireNonNull(preRoll, "preRoll is null");
        requireNonNull(maxSegment, "maxSegment is null");
        requireNonNull(retry, "retry is null");
        requireNonNull(timeout, "timeout is null");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model is blank");
        }
        if (preRoll.isNegative() || preRoll.compareTo(Duration.ofSeconds(2)) > 0) {
            throw new IllegalArgumentException("preRoll is not within 0..2 s: " + preRoll);
        }
        if (maxSegment.compareTo(Duration.ofSeconds(1)) < 0 || maxSegment.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("maxSegment is not within 1 s..5 min: " + maxSegment);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout is not positive: " + timeout);
        }
    }

    /** whisper-1 at OpenAI with {@code apiKey}, no language hint. */
    public static WhisperSttConfig openai(Secret apiKey) {
        return defaults(OpenAiEndpoint.openai(apiKey));
    }

    public static WhisperSttConfig defaults(OpenAiEndpoint endpoint) {
        return new WhisperSttConfig(endpoint, DEFAULT_MODEL, Optional.empty(), Optional.empty(), DEFAULT_PRE_ROLL,
                DEFAULT_MAX_SEGMENT, RetryPolicy.DEFAULT, DEFAULT_TIMEOUT);
    }

    public WhisperSttConfig withModel(String newModel) {
        return new WhisperSttConfig(endpoint, newModel, language, prompt, preRoll, maxSegment, retry, timeout);
    }

    public WhisperSttConfig withLanguage(String newLanguage) {
        return new WhisperSttConfig(endpoint, model, Optional.of(newLanguage), prompt, preRoll, maxSegment, retry, timeout);
    }

    public WhisperSttConfig withRetry(RetryPolicy newRetry) {
        return new WhisperSttConfig(endpoint, model, language, prompt, preRoll, maxSegment, newRetry, timeout);
    }

    /**
     * Reads {@code api_key} (else {@code OPENAI_API_KEY}), {@code base_url}, {@code model},
     * {@code language}, {@code prompt}, {@code pre_roll_ms}, {@code max_segment_seconds},
     * {@code max_retries} and {@code timeout} (seconds).
     */
    public static WhisperSttConfig from(ProviderConfig config) {
        requireNonNull(config, "config is null");
        OpenAiEndpoint endpoint = OpenAiEndpoint.from(config);
        String model = config.string("model", DEFAULT_MODEL);
        if (model.isBlank()) {
            throw new ConfigException(config.pathOf("model"), "must not be blank");
        }
        Optional<String> language = config.optionalString("language").filter(s -> !s.isBlank());
        Optional<String> prompt = config.optionalString("prompt").filter(s -> !s.isBlank());
        double preRollMs = config.decimal("pre_roll_ms", DEFAULT_PRE_ROLL.toMillis(), 0, 2000);
        double maxSegmentSeconds = config.decimal("max_segment_seconds", DEFAULT_MAX_SEGMENT.toSeconds(), 1, 300);
        int maxRetries = config.integer("max_retries", RetryPolicy.DEFAULT.maxRetries());
        if (maxRetries < 0 || maxRetries > 10) {
            throw new ConfigException(config.pathOf("max_retries"), "expected an integer within 0..10 but got " + maxRetries);
        }
        double timeoutSeconds = config.decimal("timeout", DEFAULT_TIMEOUT.toSeconds(), 1, 600);
        return new WhisperSttConfig(endpoint, model, language, prompt, Duration.ofMillis((long) preRollMs),
                Duration.ofMillis((long) (maxSegmentSeconds * 1000)), RetryPolicy.DEFAULT.withMaxRetries(maxRetries),
                Duration.ofMillis((long) (timeoutSeconds * 1000)));
    }
}
