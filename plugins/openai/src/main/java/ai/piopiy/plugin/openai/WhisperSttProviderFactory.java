package ai.piopiy.plugin.openai;

import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.SttProviderFactory;
import java.util.Set;

/** Provider {@code whisper}: segmented recognition through OpenAI's (or a compatible server's) transcription API. */
public final class WhisperSttProviderFactory implements SttProviderFactory {

    @Override
    public String id() {
        return WhisperSttService.NAME;
    }

    @Override
    public String description() {
        return "OpenAI-compatible transcription (whisper-1 or a local Whisper server), one request per VAD segment";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public WhisperSttService create(ProviderConfig config, ProviderContext context) {
        return new WhisperSttService(WhisperSttConfig.from(config), context);
    }
}
