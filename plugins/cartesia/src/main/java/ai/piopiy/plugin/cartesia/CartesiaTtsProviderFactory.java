package ai.piopiy.plugin.cartesia;

import ai.piopiy.plugin.ttswebsocket.BaseUrls;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TtsProviderFactory;
import java.util.Set;

/** The {@code cartesia} TTS provider: maps a manifest's settings to {@link CartesiaTtsConfig}. */
public final class CartesiaTtsProviderFactory implements TtsProviderFactory {

    public static final String ID = "cartesia";
    public static final String API_KEY_ENV = "CARTESIA_API_KEY";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Cartesia Sonic streaming text-to-speech (WebSocket)";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public CartesiaTtsService create(ProviderConfig config, ProviderContext context) {
        return new CartesiaTtsService(configOf(config), context);
    }

    /** The settings of a manifest's {@code "provider": "cartesia"} block. */
    public static CartesiaTtsConfig configOf(ProviderConfig config) {
        return new CartesiaTtsConfig(
                config.secret("api_key", API_KEY_ENV),
                BaseUrls.setting(config, "base_url", CartesiaTtsConfig.DEFAULT_BASE_URL),
                config.string("cartesia_version", CartesiaTtsConfig.DEFAULT_CARTESIA_VERSION),
                config.string("model", CartesiaTtsConfig.DEFAULT_MODEL),
                voiceId(config),
                config.string("language", CartesiaTtsConfig.DEFAULT_LANGUAGE),
                config.decimal("speed", CartesiaTtsConfig.DEFAULT_SPEED, CartesiaTtsConfig.MIN_SPEED, CartesiaTtsConfig.MAX_SPEED),
                config.bool("add_timestamps", true),
                boundedInteger(config, "max_buffer_delay_ms", 0, CartesiaTtsConfig.MAX_BUFFER_DELAY_LIMIT_MS));
    }

    private static String voiceId(ProviderConfig config) {
        String voiceId = config.string("voice_id", CartesiaTtsConfig.DEFAULT_VOICE_ID);
        if (voiceId.isBlank()) {
            throw new ConfigException(config.pathOf("voice_id"), "must not be blank");
        }
        return voiceId;
    }

    private static int boundedInteger(ProviderConfig config, String key, int defaultValue, int max) {
        int value = config.integer(key, defaultValue);
        if (value < 0 || value > max) {
            throw new ConfigException(config.pathOf(key), "expected an integer within 0.." + max + ", got " + value);
        }
        return value;
    }
}
