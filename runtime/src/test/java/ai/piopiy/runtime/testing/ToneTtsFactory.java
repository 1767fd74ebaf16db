package ai.piopiy.runtime.testing;

import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TtsProviderFactory;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.testing.FakeTtsService;

/** TTS {@code tone}: speaks each word as {@code word_ms} of a tone at {@code frequency_hz} ({@link FakeTtsService}). */
public final class ToneTtsFactory implements TtsProviderFactory {

    @Override
    public String id() {
        return "tone";
    }

    @Override
    public TtsService create(ProviderConfig config, ProviderContext context) {
        double frequency = config.decimal("frequency_hz", 440, 20, 8000);
        int wordMs = config.integer("word_ms", 80);
        StartRendezvous.await(config);
        return new FakeTtsService("tone", frequency, wordMs, 30, false);
    }
}
