package ai.piopiy.plugin.espeak;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TtsProviderFactory;
import java.time.Duration;

/** The {@code espeak} TTS provider: maps manifest settings to {@link EspeakTtsConfig}. */
public final class EspeakTtsProviderFactory implements TtsProviderFactory {

    @Override
    public String id() {
        return "espeak";
    }

    @Override
    public String description() {
        return "Offline text-to-speech with eSpeak NG (Debian espeak-ng), one process per sentence";
    }

    /** @throws ai.piopiy.spi.ServiceException when espeak-ng cannot be run */
    @Override
    public EspeakTtsService create(ProviderConfig config, ProviderContext context) {
        return new EspeakTtsService(config(config), context);
    }

    /** Reads every supported setting, with path-style errors for mistyped or out-of-range values. */
    public static EspeakTtsConfig config(ProviderConfig config) {
        String binary = config.string("binary", EspeakTtsConfig.DEFAULT_BINARY);
        if (binary.isBlank()) {
            throw new ConfigException(config.pathOf("binary"), "must not be empty");
        }
        String voice = config.string("voice", EspeakTtsConfig.DEFAULT_VOICE);
        if (voice.isBlank() || voice.startsWith("-")) {
            throw new ConfigException(config.pathOf("voice"), "expected a voice name such as en-us, got \"" + voice + "\"");
        }
        return new EspeakTtsConfig(binary, voice,
                within(config, "speed", EspeakTtsConfig.DEFAULT_SPEED, 80, 450),
                within(config, "pitch", EspeakTtsConfig.DEFAULT_PITCH, 0, 99),
                Duration.ofMillis(within(config, "chunk_ms", (int) EspeakTtsConfig.DEFAULT_CHUNK.toMillis(), 10, 200)));
    }

    private static int within(ProviderConfig config, String key, int defaultValue, int min, int max) {
        int value = config.integer(key, defaultValue);
        if (value < min || value > max) {
            throw new ConfigException(config.pathOf(key), "expected " + min + ".." + max + ", got " + value);
        }
        return value;
    }
}
