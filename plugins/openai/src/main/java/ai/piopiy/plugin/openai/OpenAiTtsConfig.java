package ai.piopiy.plugin.openai;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.Secret;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of OpenAI's speech API ({@code POST {base_url}/audio/speech}), asked for raw 24 kHz PCM.
 *
 * @param endpoint the base URL and key
 * @param model {@code gpt-4o-mini-tts} (the default, as in Pipecat), {@code tts-1} or {@code tts-1-hd}
 * @param voice {@code alloy}, {@code ash}, {@code coral}, {@code echo}, {@code nova}, {@code sage}, ...
 * @param speed 0.25 to 4.0
 * @param instructions how to speak (tone, accent); only the gpt-4o models take it; empty for none
 * @param timeout the longest silence tolerated from the server while audio is expected
 */
public record OpenAiTtsConfig(OpenAiEndpoint endpoint, String model, String voice, double speed,
        Optional<String> instructions, Duration timeout) {

    public static final String DEFAULT_MODEL = "gpt-4o-mini-tts";
    public static final String DEFAULT_VOICE = "alloy";
    public static final double DEFAULT_SPEED = 1.0;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** What {@code response_format: "pcm"} returns: 24 kHz 16-bit little-endian mono, no header. */
    public static final int PCM_RATE = 24_000;

    public OpenAiTtsConfig {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(model, "model is null");
        requireNonNull(voice, "voice is null");
        requireNonNull(instructions, "instructions is null");
        requireNonNull(timeout, "timeout is null");
        if (model.isBlank() || voice.isBlank()) {
            throw new IllegalArgumentException("model and voice must not be blank");
        }
        if (!(speed >= 0.25 && speed <= 4.0)) {
            throw new IllegalArgumentException("speed is not within 0.25..4.0: " + speed);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout is not positive: " + timeout);
        }
    }

    public static OpenAiTtsConfig openai(Secret apiKey) {
        return defaults(OpenAiEndpoint.openai(apiKey));
    }

    public static OpenAiTtsConfig defaults(OpenAiEndpoint endpoint) {
        return new OpenAiTtsConfig(endpoint, DEFAULT_MODEL, DEFAULT_VOICE, DEFAULT_SPEED, Optional.empty(), DEFAULT_TIMEOUT);
    }

    public OpenAiTtsConfig withVoice(String newVoice) {
        return new OpenAiTtsConfig(endpoint, model, newVoice, speed, instructions, timeout);
    }

    public OpenAiTtsConfig withModel(String newModel) {
        return new OpenAiTtsConfig(endpoint, newModel, voice, speed, instructions, timeout);
    }

    /**
     * Reads {@code api_key} (else {@code OPENAI_API_KEY}), {@code base_url}, {@code model},
     * {@code voice}, {@code speed}, {@code instructions} and {@code timeout} (seconds).
     */
    public static OpenAiTtsConfig from(ProviderConfig config) {
        requireNonNull(config, "config is null");
        OpenAiEndpoint endpoint = OpenAiEndpoint.from(config);
        String model = config.string("model", DEFAULT_MODEL);
        if (model.isBlank()) {
            throw new ConfigException(config.pathOf("model"), "must not be blank");
        }
        String voice = config.string("voice", DEFAULT_VOICE);
        if (voice.isBlank()) {
            throw new ConfigException(config.pathOf("voice"), "must not be blank");
        }
        double speed = config.decimal("speed", DEFAULT_SPEED, 0.25, 4.0);
        Optional<String> instructions = config.optionalString("instructions").filter(s -> !s.isBlank());
        double timeoutSeconds = config.decimal("timeout", DEFAULT_TIMEOUT.toSeconds(), 1, 600);
        return new OpenAiTtsConfig(endpoint, model, voice, speed, instructions, Duration.ofMillis((long) (timeoutSeconds * 1000)));
    }
}
