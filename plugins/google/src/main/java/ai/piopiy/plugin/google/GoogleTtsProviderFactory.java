package ai.piopiy.plugin.google;

import ai.piopiy.plugin.google.internal.CredentialSettings;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TtsProviderFactory;
import ai.piopiy.spi.tts.TtsService;
import java.util.Set;

/** {@code "provider": "google-tts"}: Google Cloud Text-to-Speech. */
public final class GoogleTtsProviderFactory implements TtsProviderFactory {

    @Override
    public String id() {
        return GoogleTtsService.NAME;
    }

    @Override
    public String description() {
        return "Google Cloud Text-to-Speech (gRPC StreamingSynthesize for Chirp 3 HD voices, else REST text:synthesize)";
    }

    @Override
    public Set<String> secretKeys() {
        return CredentialSettings.SECRET_KEYS;
    }

    @Override
    public TtsService create(ProviderConfig config, ProviderContext context) {
        return new GoogleTtsService(config(config), context);
    }

    /** Maps the manifest's settings (the Python SDK's names) to a config; fails on a missing credential or a bad value. */
    public static GoogleTtsConfig config(ProviderConfig config) {
        GoogleCredentials credentials = CredentialSettings.read(config, true);
        String location = config.string("location", "global");
        GoogleTtsConfig defaults = GoogleTtsConfig.defaults(credentials);
        String voiceId = config.string("voice_id", defaults.voiceId());
        try {
            return new GoogleTtsConfig(credentials, config.string("endpoint", GoogleTtsConfig.endpointOf(location)),
                    voiceId, config.string("language", defaults.language()),
                    config.decimal("speaking_rate", defaults.speakingRate(), 0.25, 2.0),
                    config.decimal("pitch", defaults.pitch(), -20, 20),
                    config.decimal("volume_gain_db", defaults.volumeGainDb(), -96, 16),
                    GoogleSttProviderFactory.millis(config, "timeout_ms", defaults.timeout()),
                    config.bool("streaming", GoogleTtsConfig.streams(voiceId)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.path(), e.getMessage());
        }
    }
}
