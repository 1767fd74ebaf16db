package ai.piopiy.plugin.openai;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TtsProviderFactory;
import ai.piopiy.spi.tts.TtsService;

/**
 * Provider {@code playht}, which the Python SDK offers, answers with why it cannot exist: PlayHT's API
 * was shut down at the end of 2025 (Pipecat and LiveKit removed their clients). A manifest naming it
 * gets this explanation and the providers to use instead, rather than "unknown provider".
 */
public final class PlayHtTtsProviderFactory implements TtsProviderFactory {

    static final String SHUT_DOWN = "PlayHT shut down its API at the end of 2025 (after Meta acquired PlayAI), so there is"
            + " no playht provider; use one of the TTS providers: cartesia, elevenlabs, espeak (local), openai-tts";

    @Override
    public String id() {
        return "playht";
    }

    @Override
    public String description() {
        return "PlayHT: discontinued (its API shut down at the end of 2025); names the alternatives";
    }

    @Override
    public TtsService create(ProviderConfig config, ProviderContext context) {
        // every setting is read as accounted for: the provider itself is the problem, not its settings
        config.keys().forEach(config::markRead);
        throw new ConfigException(config.path(), SHUT_DOWN);
    }
}
