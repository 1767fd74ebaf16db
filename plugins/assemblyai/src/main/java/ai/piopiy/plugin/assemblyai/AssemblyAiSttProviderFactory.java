package ai.piopiy.plugin.assemblyai;

import ai.piopiy.plugin.ttswebsocket.BaseUrls;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.SttProviderFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The {@code assemblyai} STT provider: maps manifest settings to {@link AssemblyAiSttConfig}. */
public final class AssemblyAiSttProviderFactory implements SttProviderFactory {

    public static final String ID = "assemblyai";
    public static final String API_KEY_ENV = "ASSEMBLYAI_API_KEY";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "AssemblyAI Universal Streaming speech-to-text (WebSocket /v3/ws)";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public AssemblyAiSttService create(ProviderConfig config, ProviderContext context) {
        return new AssemblyAiSttService(configOf(config), context);
    }

    /** Reads every supported setting, with path-style errors for missing, mistyped or out-of-range values. */
    public static AssemblyAiSttConfig configOf(ProviderConfig config) {
        int minSilence = atLeast(config, "min_turn_silence_ms", AssemblyAiSttConfig.DEFAULT_MIN_TURN_SILENCE_MS, 0);
        int maxSilence = atLeast(config, "max_turn_silence_ms", AssemblyAiSttConfig.DEFAULT_MAX_TURN_SILENCE_MS, 0);
        if (maxSilence < minSilence) {
            throw new ConfigException(config.pathOf("max_turn_silence_ms"),
                    "must not be below min_turn_silence_ms (" + minSilence + "), got " + maxSilence);
        }
        String speechModel = config.string("speech_model", AssemblyAiSttConfig.DEFAULT_SPEECH_MODEL);
        if (speechModel.isBlank()) {
            throw new ConfigException(config.pathOf("speech_model"), "must not be blank");
        }
        int chunkMs = config.integer("chunk_ms", AssemblyAiSttConfig.DEFAULT_CHUNK_MS);
        if (chunkMs < AssemblyAiSttConfig.MIN_CHUNK_MS || chunkMs > AssemblyAiSttConfig.MAX_CHUNK_MS) {
            throw new ConfigException(config.pathOf("chunk_ms"), "AssemblyAI takes " + AssemblyAiSttConfig.MIN_CHUNK_MS
                    + ".." + AssemblyAiSttConfig.MAX_CHUNK_MS + " ms of audio per frame, got " + chunkMs);
        }
        return new AssemblyAiSttConfig(
                config.secret("api_key", API_KEY_ENV),
                BaseUrls.setting(config, "url", AssemblyAiSttConfig.DEFAULT_URL),
                speechModel,
                config.bool("format_turns", true),
                config.decimal("end_of_turn_confidence_threshold",
                        AssemblyAiSttConfig.DEFAULT_END_OF_TURN_CONFIDENCE_THRESHOLD, 0, 1),
                minSilence,
                maxSilence,
                config.strings("keyterms_prompt", List.of()),
                config.bool("force_endpoint_on_stop", true),
                config.string("api_version", AssemblyAiSttConfig.DEFAULT_API_VERSION),
                chunkMs,
                millis(config, "close_timeout_ms", AssemblyAiSttConfig.DEFAULT_CLOSE_TIMEOUT, 1),
                atLeast(config, "reconnect_attempts", AssemblyAiSttConfig.DEFAULT_RECONNECT_ATTEMPTS, 0),
                millis(config, "reconnect_backoff_ms", AssemblyAiSttConfig.DEFAULT_RECONNECT_BACKOFF, 0),
                millis(config, "reconnect_buffer_ms", AssemblyAiSttConfig.DEFAULT_RECONNECT_BUFFER, 1));
    }

    private static int atLeast(ProviderConfig config, String key, int defaultValue, int min) {
        int value = config.integer(key, defaultValue);
        if (value < min) {
            throw new ConfigException(config.pathOf(key), "must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static Duration millis(ProviderConfig config, String key, Duration defaultValue, int min) {
        return Duration.ofMillis(atLeast(config, key, (int) defaultValue.toMillis(), min));
    }
}
