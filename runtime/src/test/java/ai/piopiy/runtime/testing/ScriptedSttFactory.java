package ai.piopiy.runtime.testing;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.SttProviderFactory;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.testing.FakeSttService;
import java.util.List;

/** STT {@code scripted}: hears {@code transcripts}, one per stretch of speech the VAD reports ({@link FakeSttService}). */
public final class ScriptedSttFactory implements SttProviderFactory {

    @Override
    public String id() {
        return "scripted";
    }

    @Override
    public SttService create(ProviderConfig config, ProviderContext context) {
        List<String> transcripts = config.strings("transcripts", List.of());
        int msPerWord = config.integer("ms_per_word", 150);
        int finalDelayMs = config.integer("final_delay_ms", 80);
        StartRendezvous.await(config);
        if (transcripts.isEmpty()) {
            throw new ConfigException(config.pathOf("transcripts"), "missing; expected a non-empty list of strings");
        }
        return new FakeSttService(transcripts, msPerWord, finalDelayMs);
    }
}
