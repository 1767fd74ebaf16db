package ai.piopiy.plugin.azure;

import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TtsProviderFactory;
import java.time.Duration;
import java.util.Set;

/** Provider {@code azure-tts}: maps a manifest's settings to {@link AzureTtsConfig}. */
public final class AzureTtsProviderFactory implements TtsProviderFactory {

    @Override
    public String id() {
        return AzureTtsService.NAME;
    }

    @Override
    public String description() {
        return "Azure Speech text-to-speech (REST, neural voices), streamed PCM per sentence";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public AzureTtsService create(ProviderConfig config, ProviderContext context) {
        return new AzureTtsService(configOf(config), context);
    }

    /** Reads {@code api_key}, {@code region}, {@code endpoint}, {@code voice}, {@code language}, {@code speed} and {@code timeout} (seconds). */
    public static AzureTtsConfig configOf(ProviderConfig config) {
        AzureSpeechAccount account = AzureSpeechAccount.from(config);
        String voice = AzureSttProviderFactory.nonBlank(config, "voice", AzureTtsConfig.DEFAULT_VOICE);
        String language = AzureSttProviderFactory.nonBlank(config, "language", AzureTtsConfig.DEFAULT_LANGUAGE);
        double speed = config.decimal("speed", AzureTtsConfig.DEFAULT_SPEED, AzureTtsConfig.MIN_SPEED, AzureTtsConfig.MAX_SPEED);
        double timeoutSeconds = config.decimal("timeout", AzureTtsConfig.DEFAULT_TIMEOUT.toSeconds(), 1, 600);
        return new AzureTtsConfig(account, voice, language, speed, Duration.ofMillis((long) (timeoutSeconds * 1000)));
    }
}
