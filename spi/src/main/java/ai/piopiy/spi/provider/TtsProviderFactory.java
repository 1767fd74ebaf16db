package ai.piopiy.spi.provider;

import ai.piopiy.spi.tts.TtsService;

/** A factory of {@link TtsService}s. */
public interface TtsProviderFactory extends ProviderFactory {

    @Override
    default ProviderKind kind() {
        return ProviderKind.TTS;
    }

    @Override
    TtsService create(ProviderConfig config, ProviderContext context);
}
