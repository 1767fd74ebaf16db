package ai.piopiy.plugin.deepgram;

import ai.piopiy.plugin.ttswebsocket.BaseUrls;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TtsProviderFactory;
import java.util.Locale;
import java.util.Set;

/** The {@code deepgram-tts} TTS provider: maps a manifest's settings to {@link DeepgramTtsConfig}. */
public final class DeepgramTtsProviderFactory implements TtsProviderFactory {

    public static final String ID = "deepgram-tts";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Deepgram Aura streaming text-to-speech (WebSocket /v1/speak)";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public DeepgramTtsService create(ProviderConfig config, ProviderContext context) {
        return new DeepgramTtsService(configOf(config), context);
    }

    /** The settings of a manifest's {@code "provider": "deepgram-tts"} block. */
    public static DeepgramTtsConfig configOf(ProviderConfig config) {
        String voice = config.string("voice", DeepgramTtsConfig.DEFAULT_VOICE);
        if (voice.isBlank()) {
            throw new ConfigException(config.pathOf("voice"), "must not be blank");
        }
        String encoding = config.string("encoding", DeepgramTtsConfig.LINEAR16).toLowerCase(Locale.ROOT);
        if (!encoding.equals(DeepgramTtsConfig.LINEAR16) && !encoding.equals(DeepgramTtsConfig.MULAW)) {
            throw new ConfigException(config.pathOf("encoding"), "expected linear16 or mulaw, got " + encoding);
        }
        int sampleRate = config.integer("sample_rate", 0);
        int[] offered = DeepgramTtsConfig.rates(encoding);
        if (sampleRate != 0 && !DeepgramTtsConfig.offers(offered, sampleRate)) {
            throw new ConfigException(config.pathOf("sample_rate"), "Deepgram offers " + encoding + " at "
                    + DeepgramTtsConfig.describe(offered) + " Hz (or 0 for the session's rate), got " + sampleRate);
        }
        return new DeepgramTtsConfig(
                config.secret("api_key", DeepgramSttProviderFactory.API_KEY_ENV),
                BaseUrls.setting(config, "base_url", DeepgramTtsConfig.DEFAULT_BASE_URL),
                voice,
                encoding,
                sampleRate,
                config.bool("mip_opt_out", false),
                config.bool("flush_each_sentence", true));
    }
}
