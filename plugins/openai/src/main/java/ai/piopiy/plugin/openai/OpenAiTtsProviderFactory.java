package ai.piopiy.plugin.openai;

import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TtsProviderFactory;
import java.util.Set;

/** Provider {@code openai-tts}: OpenAI's speech API, one request per sentence, raw 24 kHz PCM resampled to the call. */
public final class OpenAiTtsProviderFactory implements TtsProviderFactory {

    @Override
    public String id() {
        return OpenAiTtsService.NAME;
    }

    @Override
    public String description() {
        return "OpenAI text-to-speech (gpt-4o-mini-tts, voice alloy), streamed PCM per sentence";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public OpenAiTtsService create(ProviderConfig config, ProviderContext context) {
        return new OpenAiTtsService(OpenAiTtsConfig.from(config), context);
    }
}
