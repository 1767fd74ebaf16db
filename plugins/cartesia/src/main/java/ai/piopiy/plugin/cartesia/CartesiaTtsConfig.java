package ai.piopiy.plugin.cartesia;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.ttswebsocket.BaseUrls;
import ai.piopiy.spi.provider.Secret;

/**
 * Settings of {@link CartesiaTtsService}, mirroring the Python SDK's {@code CartesiaTTSService(api_key,
 * voice_id, language, speed)} plus the wire settings the WebSocket API needs.
 *
 * @param apiKey the Cartesia API key, sent as {@code Authorization: Bearer}
 * @param baseUrl where the API lives; the socket is {@code baseUrl + "/tts/websocket"}
 * @param cartesiaVersion the {@code Cartesia-Version} the protocol below was written against
 * @param model the model id ({@code sonic-3}, {@code sonic-2}, {@code sonic-latest}, a dated snapshot)
 * @param voiceId a Cartesia voice id (a UUID from the voice library)
 * @param language the transcript's language code
 * @param speed the speech rate multiplier, sent as {@code generation_config.speed} (sonic-3 models)
 * @param addTimestamps ask for word timestamps, delivered to {@code TtsListener.onWordTimestamps}
 * @param maxBufferDelayMs how long Cartesia may wait for more text before generating; 0 because the
 *     runtime already sends whole sentences
 */
public record CartesiaTtsConfig(
        Secret apiKey,
        String baseUrl,
        String cartesiaVersion,
        String model,
        String voiceId,
        String language,
        double speed,
        boolean addTimestamps,
        int maxBufferDelayMs) {

    public static final String DEFAULT_BASE_URL = "wss://api.cartesia.ai";
    /** The first version with structured error frames; older error shapes are parsed too. */
    public static final String DEFAULT_CARTESIA_VERSION = "2026-03-01";
    public static final String DEFAULT_MODEL = "sonic-3";
    /**
     * The SDK's {@code "default"} is not a voice Cartesia knows; this is the stock voice Cartesia's
     * own API reference uses in its WebSocket examples. Production agents should choose their own.
     */
    public static final String DEFAULT_VOICE_ID = "a0e99841-438c-4a64-b679-ae501e7d6091";
    public static final String DEFAULT_LANGUAGE = "en";
    public static final double DEFAULT_SPEED = 1.0;
    /** The range Cartesia documents for {@code generation_config.speed}. */
    public static final double MIN_SPEED = 0.6;
    public static final double MAX_SPEED = 1.5;
    public static final int MAX_BUFFER_DELAY_LIMIT_MS = 5_000;

    public CartesiaTtsConfig {
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(cartesiaVersion, "cartesiaVersion is null");
        requireNonNull(model, "model is null");
        requireNonNull(voiceId, "voiceId is null");
        requireNonNull(language, "language is null");
        baseUrl = BaseUrls.normalize(baseUrl);
        if (voiceId.isBlank()) {
            throw new IllegalArgumentException("voiceId is blank");
        }
        if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
            throw new IllegalArgumentException("speed must be within " + MIN_SPEED + ".." + MAX_SPEED + ", got " + speed);
        }
        if (maxBufferDelayMs < 0 || maxBufferDelayMs > MAX_BUFFER_DELAY_LIMIT_MS) {
            throw new IllegalArgumentException("maxBufferDelayMs must be within 0.." + MAX_BUFFER_DELAY_LIMIT_MS + ", got " + maxBufferDelayMs);
        }
    }

    /** The defaults with {@code apiKey}. */
    public static CartesiaTtsConfig of(Secret apiKey) {
        return new CartesiaTtsConfig(apiKey, DEFAULT_BASE_URL, DEFAULT_CARTESIA_VERSION, DEFAULT_MODEL,
                DEFAULT_VOICE_ID, DEFAULT_LANGUAGE, DEFAULT_SPEED, true, 0);
    }

    public CartesiaTtsConfig withBaseUrl(String baseUrl) {
        return new CartesiaTtsConfig(apiKey, baseUrl, cartesiaVersion, model, voiceId, language, speed, addTimestamps, maxBufferDelayMs);
    }

    public CartesiaTtsConfig withModel(String model) {
        return new CartesiaTtsConfig(apiKey, baseUrl, cartesiaVersion, model, voiceId, language, speed, addTimestamps, maxBufferDelayMs);
    }

    public CartesiaTtsConfig withVoiceId(String voiceId) {
        return new CartesiaTtsConfig(apiKey, baseUrl, cartesiaVersion, model, voiceId, language, speed, addTimestamps, maxBufferDelayMs);
    }

    public CartesiaTtsConfig withLanguage(String language) {
        return new CartesiaTtsConfig(apiKey, baseUrl, cartesiaVersion, model, voiceId, language, speed, addTimestamps, maxBufferDelayMs);
    }

    public CartesiaTtsConfig withSpeed(double speed) {
        return new CartesiaTtsConfig(apiKey, baseUrl, cartesiaVersion, model, voiceId, language, speed, addTimestamps, maxBufferDelayMs);
    }

    /** The TTS WebSocket's URL. */
    public String webSocketUrl() {
        return baseUrl + "/tts/websocket";
    }
}
