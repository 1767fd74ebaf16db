package ai.piopiy.plugin.azure;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.SttProviderFactory;
import java.time.Duration;
import java.util.Set;

/** Provider {@code azure-stt}: maps a manifest's settings to {@link AzureSttConfig}. */
public final class AzureSttProviderFactory implements SttProviderFactory {

    @Override
    public String id() {
        return AzureSttService.NAME;
    }

    @Override
    public String description() {
        return "Azure Speech continuous recognition (the Speech service's WebSocket protocol)";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public AzureSttService create(ProviderConfig config, ProviderContext context) {
        return new AzureSttService(configOf(config), context);
    }

    /** Reads every supported setting, with path-style errors for missing, mistyped or out-of-range values. */
    public static AzureSttConfig configOf(ProviderConfig config) {
        AzureSttConfig.Builder builder = AzureSttConfig.builder(AzureSpeechAccount.from(config))
                .language(nonBlank(config, "language", AzureSttConfig.DEFAULT_LANGUAGE))
                .detailed(config.bool("detailed", false))
                .segmentationSilenceMs(bounded(config, "segmentation_silence_timeout_ms", 0, 0, 5_000))
                .closeTimeout(millis(config, "close_timeout_ms", AzureSttConfig.DEFAULT_CLOSE_TIMEOUT, 1))
                .reconnectAttempts(bounded(config, "reconnect_attempts", AzureSttConfig.DEFAULT_RECONNECT_ATTEMPTS, 0, 100))
                .reconnectBackoff(millis(config, "reconnect_backoff_ms", AzureSttConfig.DEFAULT_RECONNECT_BACKOFF, 0))
                .replayBuffer(millis(config, "replay_buffer_ms", AzureSttConfig.DEFAULT_REPLAY_BUFFER, 1));
        config.optionalString("endpoint_id").map(String::strip).filter(s -> !s.isEmpty()).ifPresent(builder::endpointId);
        int lifetime = bounded(config, "connection_lifetime_s", (int) AzureSttConfig.DEFAULT_CONNECTION_LIFETIME.toSeconds(), 1,
                (int) AzureSttConfig.MAX_CONNECTION_LIFETIME.toSeconds() - 1);
        return builder.connectionLifetime(Duration.ofSeconds(lifetime)).build();
    }

    static String nonBlank(ProviderConfig config, String key, String defaultValue) {
        String value = config.string(key, defaultValue);
        if (value.isBlank()) {
            throw new ConfigException(config.pathOf(key), "must not be blank");
        }
        return value.strip();
    }

    private static int bounded(ProviderConfig config, String key, int defaultValue, int min, int max) {
        int value = config.integer(key, defaultValue);
        if (value < min || value > max) {
            throw new ConfigException(config.pathOf(key), "expected an integer within " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    private static Duration millis(ProviderConfig config, String key, Duration defaultValue, int min) {
        return Duration.ofMillis(bounded(config, key, (int) defaultValue.toMillis(), min, 600_000));
    }
}
