package ai.piopiy.plugin.deepgram;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.SttProviderFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code deepgram} STT provider: maps manifest settings to {@link DeepgramSttConfig}. */
public final class DeepgramSttProviderFactory implements SttProviderFactory {

    public static final String API_KEY_ENV = "DEEPGRAM_API_KEY";

    @Override
    public String id() {
        return "deepgram";
    }

    @Override
    public String description() {
        return "Deepgram live speech-to-text (WebSocket /v1/listen, Nova models)";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public DeepgramSttService create(ProviderConfig config, ProviderContext context) {
        return new DeepgramSttService(config(config), context);
    }

    /** Reads every supported setting, with path-style errors for missing, mistyped or out-of-range values. */
    public static DeepgramSttConfig config(ProviderConfig config) {
        DeepgramSttConfig.Builder builder = DeepgramSttConfig.builder(config.secret("api_key", API_KEY_ENV));
        String url = config.string("url", DeepgramSttConfig.DEFAULT_URL);
        if (!url.matches("(?i)(wss?|https?)://.+")) {
            throw new ConfigException(config.pathOf("url"), "expected a ws://, wss://, http:// or https:// URL, got " + url);
        }
        boolean interimResults = config.bool("interim_results", true);
        int utteranceEndMs = nonNegative(config, "utterance_end_ms",
                interimResults ? DeepgramSttConfig.DEFAULT_UTTERANCE_END_MS : 0);
        if (utteranceEndMs > 0 && !interimResults) {
            throw new ConfigException(config.pathOf("utterance_end_ms"),
                    "needs interim_results true (Deepgram sends UtteranceEnd only with interim results)");
        }
        return builder
                .url(url)
                .model(config.string("model", DeepgramSttConfig.DEFAULT_MODEL))
                .language(config.string("language", DeepgramSttConfig.DEFAULT_LANGUAGE))
                .interimResults(interimResults)
                .punctuate(config.bool("punctuate", true))
                .smartFormat(config.bool("smart_format", true))
                .endpointingMs(endpointing(config))
                .utteranceEndMs(utteranceEndMs)
                .vadEvents(config.bool("vad_events", true))
                .params(params(config))
                .keepAliveInterval(millis(config, "keep_alive_interval_ms", DeepgramSttConfig.DEFAULT_KEEP_ALIVE_INTERVAL, 1))
                .connectTimeout(millis(config, "connect_timeout_ms", DeepgramSttConfig.DEFAULT_CONNECT_TIMEOUT, 1))
                .closeTimeout(millis(config, "close_timeout_ms", DeepgramSttConfig.DEFAULT_CLOSE_TIMEOUT, 1))
                .reconnectAttempts(nonNegative(config, "reconnect_attempts", DeepgramSttConfig.DEFAULT_RECONNECT_ATTEMPTS))
                .reconnectBackoff(millis(config, "reconnect_backoff_ms", DeepgramSttConfig.DEFAULT_RECONNECT_BACKOFF, 0))
                .reconnectBuffer(millis(config, "reconnect_buffer_ms", DeepgramSttConfig.DEFAULT_RECONNECT_BUFFER, 1))
                .build();
    }

    // Deepgram takes milliseconds or false; false and 0 both turn endpointing off
    private static int endpointing(ProviderConfig config) {
        if (config.raw("endpointing").orElse(null) instanceof Boolean enabled) {
            if (enabled) {
                throw new ConfigException(config.pathOf("endpointing"), "expected milliseconds or false, got true");
            }
            return 0;
        }
        return nonNegative(config, "endpointing", DeepgramSttConfig.DEFAULT_ENDPOINTING_MS);
    }

    private static Map<String, List<String>> params(ProviderConfig config) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        config.child("params").ifPresent(child -> {
            for (String key : child.keys()) {
                if (DeepgramSttConfig.RESERVED_PARAMS.contains(key)) {
                    throw new ConfigException(child.pathOf(key), "set it with its own setting, not through params");
                }
                Object value = child.raw(key).orElseThrow();
                params.put(key, value instanceof List<?> list
                        ? list.stream().map(v -> scalar(child, key, v)).toList()
                        : List.of(scalar(child, key, value)));
            }
        });
        return params;
    }

    private static String scalar(ProviderConfig config, String key, Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new ConfigException(config.pathOf(key), "expected a string, number, boolean or a list of them");
    }

    private static int nonNegative(ProviderConfig config, String key, int defaultValue) {
        int value = config.integer(key, defaultValue);
        if (value < 0) {
            throw new ConfigException(config.pathOf(key), "must not be negative, got " + value);
        }
        return value;
    }

    private static Duration millis(ProviderConfig config, String key, Duration defaultValue, int min) {
        int value = config.integer(key, (int) defaultValue.toMillis());
        if (value < min) {
            throw new ConfigException(config.pathOf(key), "must be at least " + min + " ms, got " + value);
        }
        return Duration.ofMillis(value);
    }
}
