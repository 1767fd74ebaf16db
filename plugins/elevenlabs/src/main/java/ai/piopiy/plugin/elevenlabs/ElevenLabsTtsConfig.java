package ai.piopiy.plugin.elevenlabs;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.ttswebsocket.BaseUrls;
import ai.piopiy.spi.provider.Secret;
import java.util.List;
import java.util.Optional;

/**
 * Settings of {@link ElevenLabsTtsService}: the stream-input WebSocket's query parameters and the
 * first message's {@code voice_settings} and {@code generation_config}.
 *
 * <p>The voice settings left empty are not sent, so the voice's own stored settings apply (ElevenLabs
 * documents their defaults as "varies by voice"); speed 1.0 is the API's default and is not sent either.
 *
 * @param apiKey the ElevenLabs API key, sent as the {@code xi-api-key} header of the upgrade
 * @param baseUrl where the API lives; the socket is {@code baseUrl + "/v1/text-to-speech/{voice}/stream-input"}
 * @param voiceId the voice to speak with
 * @param model the {@code model_id} query parameter
 * @param language the {@code language_code} query parameter (only some models take it), or empty
 * @param stability {@code voice_settings.stability}, 0..1, or empty for the voice's own
 * @param similarityBoost {@code voice_settings.similarity_boost}, 0..1, or empty for the voice's own
 * @param style {@code voice_settings.style}, 0..1, or empty for the voice's own
 * @param useSpeakerBoost {@code voice_settings.use_speaker_boost}, or empty for the voice's own
 * @param speed {@code voice_settings.speed}, 0.7..1.2
 * @param chunkLengthSchedule {@code generation_config.chunk_length_schedule} (characters, 50..500 each),
 *     or empty for the server's {@code [120, 160, 250, 290]}
 * @param autoMode the {@code auto_mode} query parameter: no chunk schedule, generation per whole sentence
 * @param inactivityTimeoutSeconds the {@code inactivity_timeout} query parameter: how long the server
 *     waits for text before it ends the stream (a tool call in the middle of an answer must fit in it)
 */
public record ElevenLabsTtsConfig(
        Secret apiKey,
        String baseUrl,
        String voiceId,
        String model,
        Optional<String> language,
        Optional<Double> stability,
        Optional<Double> similarityBoost,
        Optional<Double> style,
        Optional<Boolean> useSpeakerBoost,
        double speed,
        List<Integer> chunkLengthSchedule,
        boolean autoMode,
        int inactivityTimeoutSeconds) {

    public static final String DEFAULT_BASE_URL = "wss://api.elevenlabs.io";
    /** A premade voice ("George") that ElevenLabs' own API examples use; every account has it. */
    public static final String DEFAULT_VOICE_ID = "JBFqnCBsd6RMkjVDRZzb";
    public static final String DEFAULT_MODEL = "eleven_flash_v2_5";
    public static final double DEFAULT_SPEED = 1.0;
    public static final double MIN_SPEED = 0.7;
    public static final double MAX_SPEED = 1.2;
    public static final int MIN_CHUNK_LENGTH = 50;
    public static final int MAX_CHUNK_LENGTH = 500;
    public static final int DEFAULT_INACTIVITY_TIMEOUT_SECONDS = 20;
    public static final int MAX_INACTIVITY_TIMEOUT_SECONDS = 180;

    public ElevenLabsTtsConfig {
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(voiceId, "voiceId is null");
        requireNonNull(model, "model is null");
        requireNonNull(language, "language is null");
        requireNonNull(stability, "stability is null");
        requireNonNull(similarityBoost, "similarityBoost is null");
        requireNonNull(style, "style is null");
        requireNonNull(useSpeakerBoost, "useSpeakerBoost is null");
        chunkLengthSchedule = List.copyOf(requireNonNull(chunkLengthSchedule, "chunkLengthSchedule is null"));
        baseUrl = BaseUrls.normalize(baseUrl);
        if (voiceId.isBlank()) {
            throw new IllegalArgumentException("voiceId is blank");
        }
        checkUnit("stability", stability);
        checkUnit("similarityBoost", similarityBoost);
        checkUnit("style", style);
        if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
            throw new IllegalArgumentException("speed must be within " + MIN_SPEED + ".." + MAX_SPEED + ", got " + speed);
        }
        if (inactivityTimeoutSeconds < 1 || inactivityTimeoutSeconds > MAX_INACTIVITY_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("inactivityTimeoutSeconds must be within 1.." + MAX_INACTIVITY_TIMEOUT_SECONDS
                    + ", got " + inactivityTimeoutSeconds);
        }
        for (int length : chunkLengthSchedule) {
            if (length < MIN_CHUNK_LENGTH || length > MAX_CHUNK_LENGTH) {
                throw new IllegalArgumentException("chunkLengthSchedule entries must be within "
                        + MIN_CHUNK_LENGTH + ".." + MAX_CHUNK_LENGTH + ", got " + length);
            }
        }
    }

    private static void checkUnit(String name, Optional<Double> value) {
        value.ifPresent(v -> {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(name + " must be within 0..1, got " + v);
            }
        });
    }

    /** The defaults with {@code apiKey}. */
    public static ElevenLabsTtsConfig of(Secret apiKey) {
        return new ElevenLabsTtsConfig(apiKey, DEFAULT_BASE_URL, DEFAULT_VOICE_ID, DEFAULT_MODEL, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_SPEED, List.of(), false,
                DEFAULT_INACTIVITY_TIMEOUT_SECONDS);
    }

    public ElevenLabsTtsConfig withBaseUrl(String baseUrl) {
        return new ElevenLabsTtsConfig(apiKey, baseUrl, voiceId, model, language, stability, similarityBoost, style,
                useSpeakerBoost, speed, chunkLengthSchedule, autoMode, inactivityTimeoutSeconds);
    }

    public ElevenLabsTtsConfig withVoiceId(String voiceId) {
        return new ElevenLabsTtsConfig(apiKey, baseUrl, voiceId, model, language, stability, similarityBoost, style,
                useSpeakerBoost, speed, chunkLengthSchedule, autoMode, inactivityTimeoutSeconds);
    }

    public ElevenLabsTtsConfig withModel(String model) {
        return new ElevenLabsTtsConfig(apiKey, baseUrl, voiceId, model, language, stability, similarityBoost, style,
                useSpeakerBoost, speed, chunkLengthSchedule, autoMode, inactivityTimeoutSeconds);
    }

    public ElevenLabsTtsConfig withVoiceSettings(double stability, double similarityBoost) {
        return new ElevenLabsTtsConfig(apiKey, baseUrl, voiceId, model, language, Optional.of(stability),
                Optional.of(similarityBoost), style, useSpeakerBoost, speed, chunkLengthSchedule, autoMode, inactivityTimeoutSeconds);
    }

    public ElevenLabsTtsConfig withSpeed(double speed) {
        return new ElevenLabsTtsConfig(apiKey, baseUrl, voiceId, model, language, stability, similarityBoost, style,
                useSpeakerBoost, speed, chunkLengthSchedule, autoMode, inactivityTimeoutSeconds);
    }
}
