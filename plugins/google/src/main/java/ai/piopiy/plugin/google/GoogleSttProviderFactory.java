package ai.piopiy.plugin.google;

import ai.piopiy.plugin.google.internal.CredentialSettings;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.SttProviderFactory;
import ai.piopiy.spi.stt.SttService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code "provider": "google-stt"}: Google Cloud Speech-to-Text v1 streaming recognition. */
public final class GoogleSttProviderFactory implements SttProviderFactory {

    @Override
    public String id() {
        return GoogleSttService.NAME;
    }

    @Override
    public String description() {
        return "Google Cloud Speech-to-Text v1 streaming recognition (gRPC)";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("credentials");
    }

    @Override
    public SttService create(ProviderConfig config, ProviderContext context) {
        return new GoogleSttService(config(config), context);
    }

    /** Maps the manifest's settings (the Python SDK's names) to a config; fails on a missing credential or a bad value. */
    public static GoogleSttConfig config(ProviderConfig config) {
        GoogleCredentials credentials = CredentialSettings.read(config, false);
        String location = config.string("location", "global");
        String endpoint = config.string("endpoint", GoogleSttConfig.endpointOf(location));
        GoogleSttConfig defaults = GoogleSttConfig.defaults(credentials);
        try {
            return new GoogleSttConfig(credentials, endpoint, languages(config), config.string("model", defaults.model()),
                    config.bool("use_enhanced", defaults.useEnhanced()),
                    config.bool("enable_automatic_punctuation", defaults.enableAutomaticPunctuation()),
                    config.bool("enable_spoken_punctuation", defaults.enableSpokenPunctuation()),
                    config.bool("enable_spoken_emojis", defaults.enableSpokenEmojis()),
                    config.bool("profanity_filter", defaults.profanityFilter()),
                    config.bool("enable_interim_results", defaults.interimResults()),
                    config.bool("enable_voice_activity_events", defaults.voiceActivityEvents()),
                    config.bool("single_utterance", defaults.singleUtterance()),
                    millis(config, "stream_limit_ms", defaults.streamLimit()),
                    millis(config, "resend_limit_ms", defaults.resendLimit()),
                    config.integer("reconnect_attempts", defaults.reconnectAttempts()),
                    millis(config, "reconnect_backoff_ms", defaults.reconnectBackoff()),
                    millis(config, "close_timeout_ms", defaults.closeTimeout()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.path(), e.getMessage());
        }
    }

    private static List<String> languages(ProviderConfig config) {
        Optional<String> language = config.optionalString("language");
        List<String> languages = config.strings("languages", List.of());
        if (language.isPresent() && !languages.isEmpty()) {
            throw new ConfigException(config.pathOf("language"), "give either language or languages, not both");
        }
        if (languages.isEmpty()) {
            return language.map(List::of).orElse(GoogleSttConfig.DEFAULT_LANGUAGES);
        }
        return languages;
    }

    static Duration millis(ProviderConfig config, String key, Duration defaultValue) {
        int millis = config.integer(key, (int) defaultValue.toMillis());
        if (millis < 0) {
            throw new ConfigException(config.pathOf(key), "expected a number of milliseconds >= 0, got " + millis);
        }
        return Duration.ofMillis(millis);
    }
}
