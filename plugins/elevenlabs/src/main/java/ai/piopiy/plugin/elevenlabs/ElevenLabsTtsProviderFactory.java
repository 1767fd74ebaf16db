package ai.piopiy.plugin.elevenlabs;

import ai.piopiy.plugin.ttswebsocket.BaseUrls;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TtsProviderFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code elevenlabs} TTS provider: maps a manifest's settings to {@link ElevenLabsTtsConfig}. */
public final class ElevenLabsTtsProviderFactory implements TtsProviderFactory {

    public static final String ID = "elevenlabs";
    public static final String API_KEY_ENV = "ELEVENLABS_API_KEY";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "ElevenLabs streaming text-to-speech (stream-input WebSocket)";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public ElevenLabsTtsService create(ProviderConfig config, ProviderContext context) {
        return new ElevenLabsTtsService(configOf(config), context);
    }

    /** The settings of a manifest's {@code "provider": "elevenlabs"} block. */
    public static ElevenLabsTtsConfig configOf(ProviderConfig config) {
        String baseUrl = BaseUrls.setting(config, "base_url", ElevenLabsTtsConfig.DEFAULT_BASE_URL);
        String voiceId = config.string("voice_id", ElevenLabsTtsConfig.DEFAULT_VOICE_ID);
        if (voiceId.isBlank()) {
            throw new ConfigException(config.pathOf("voice_id"), "must not be blank");
        }
        return new ElevenLabsTtsConfig(
                config.secret("api_key", API_KEY_ENV),
                baseUrl,
                voiceId,
                config.string("model", ElevenLabsTtsConfig.DEFAULT_MODEL),
                config.optionalString("language"),
                unit(config, "stability"),
                unit(config, "similarity_boost"),
                unit(config, "style"),
                config.has("use_speaker_boost") ? Optional.of(config.bool("use_speaker_boost", true)) : Optional.empty(),
                config.decimal("speed", ElevenLabsTtsConfig.DEFAULT_SPEED, ElevenLabsTtsConfig.MIN_SPEED, ElevenLabsTtsConfig.MAX_SPEED),
                chunkLengthSchedule(config),
                config.bool("auto_mode", false),
                inactivityTimeout(config));
    }

    private static int inactivityTimeout(ProviderConfig config) {
        String key = "inactivity_timeout";
        int seconds = config.integer(key, ElevenLabsTtsConfig.DEFAULT_INACTIVITY_TIMEOUT_SECONDS);
        if (seconds < 1 || seconds > ElevenLabsTtsConfig.MAX_INACTIVITY_TIMEOUT_SECONDS) {
            throw new ConfigException(config.pathOf(key), "expected seconds within 1.."
                    + ElevenLabsTtsConfig.MAX_INACTIVITY_TIMEOUT_SECONDS + ", got " + seconds);
        }
        return seconds;
    }

    private static Optional<Double> unit(ProviderConfig config, String key) {
        return config.has(key) ? Optional.of(config.decimal(key, 0, 0, 1)) : Optional.empty();
    }

    private static List<Integer> chunkLengthSchedule(ProviderConfig config) {
        String key = "chunk_length_schedule";
        Object raw = config.raw(key).orElse(List.of());
        if (!(raw instanceof List<?> list)) {
            throw new ConfigException(config.pathOf(key), "expected a list of integers");
        }
        List<Integer> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || n.intValue() < ElevenLabsTtsConfig.MIN_CHUNK_LENGTH || n.intValue() > ElevenLabsTtsConfig.MAX_CHUNK_LENGTH) {
                throw new ConfigException(config.pathOf(key) + "[" + i + "]", "expected an integer within "
                        + ElevenLabsTtsConfig.MIN_CHUNK_LENGTH + ".." + ElevenLabsTtsConfig.MAX_CHUNK_LENGTH + ", got " + list.get(i));
            }
            out.add(n.intValue());
        }
        return out;
    }
}
