package ai.piopiy.plugin.openai;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.openai.internal.ServiceResources;
import ai.piopiy.plugin.openai.internal.WhisperSttStream;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;

/**
 * Segmented speech recognition through OpenAI's transcription API, or any server speaking it
 * (speaches, whisper.cpp's server): each stretch of speech the VAD marks is uploaded as one WAV and
 * comes back as one final transcript. Thread-safe; streams share one OkHttp client.
 */
public final class WhisperSttService implements SttService {

    public static final String NAME = "whisper";

    private final WhisperSttConfig config;
    private final ServiceResources resources;

    /** For use without the runtime: uploads run on virtual threads, metrics are dropped. */
    public WhisperSttService(WhisperSttConfig config) {
        this(config, ServiceResources.standalone(NAME, requireNonNull(config, "config is null").timeout()));
    }

    public WhisperSttService(WhisperSttConfig config, ProviderContext context) {
        this(config, ServiceResources.on(context, requireNonNull(config, "config is null").timeout()));
    }

    private WhisperSttService(WhisperSttConfig config, ServiceResources resources) {
        this.config = config;
        this.resources = resources;
    }

    public WhisperSttConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SttStream openStream(SttStreamSpec spec, SttListener listener) {
        return new WhisperSttStream(NAME, config, resources.http(), resources.context(), spec, listener);
    }

    @Override
    public void close() {
        resources.close();
    }

    @Override
    public String toString() {
        return "WhisperSttService[" + config.model() + " at " + config.endpoint().baseUrl() + "]";
    }
}
