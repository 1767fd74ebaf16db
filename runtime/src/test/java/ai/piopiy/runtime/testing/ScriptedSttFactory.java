package ai.piopiy.runtime.testing;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.SttProviderFactory;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import java.util.List;

/**
 * STT {@code scripted}: each time the caller stops speaking, reports the next of {@code transcripts}
 * as final, in {@code language}.
 */
public final class ScriptedSttFactory implements SttProviderFactory {

    @Override
    public String id() {
        return "scripted";
    }

    @Override
    public SttService create(ProviderConfig config, ProviderContext context) {
        List<String> transcripts = config.strings("transcripts", List.of());
        String language = config.string("language", "en");
        if (transcripts.isEmpty()) {
            throw new ConfigException(config.pathOf("transcripts"), "missing; expected a non-empty list of strings");
        }
        return new SttService() {
            @Override
            public String name() {
                return "scripted";
            }

            @Override
            public SttStream openStream(SttStreamSpec spec, SttListener listener) {
                return new SttStream() {
                    private int next;
                    private long bytes;

                    @Override
                    public void sendAudio(byte[] pcm, int offset, int length) {
                        bytes += length;
                    }

                    @Override
                    public void userStoppedSpeaking() {
                        if (bytes > 0 && next < transcripts.size()) {
                            listener.onTranscript(new Transcript(transcripts.get(next++), true, language, 1.0));
                        }
                        bytes = 0;
                    }

                    @Override
                    public void close() {}
                };
            }
        };
    }
}
