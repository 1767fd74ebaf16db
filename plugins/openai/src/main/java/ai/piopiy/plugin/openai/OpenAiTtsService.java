package ai.piopiy.plugin.openai;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.openai.internal.ServiceResources;
import ai.piopiy.plugin.openai.internal.SpeechUtterance;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;

/**
 * Text-to-speech through OpenAI's speech API ({@code POST {base_url}/audio/speech}, raw PCM), or a
 * server speaking it. Thread-safe; sessions share one OkHttp client and make one request per sentence.
 */
public final class OpenAiTtsService implements TtsService {

    public static final String NAME = "openai-tts";

    private final OpenAiTtsConfig config;
    private final ServiceResources resources;

    /** For use without the runtime: requests run on virtual threads, metrics are dropped. */
    public OpenAiTtsService(OpenAiTtsConfig config) {
        this(config, ServiceResources.standalone(NAME, requireNonNull(config, "config is null").timeout()));
    }

    public OpenAiTtsService(OpenAiTtsConfig config, ProviderContext context) {
        this(config, ServiceResources.on(context, requireNonNull(config, "config is null").timeout()));
    }

    private OpenAiTtsService(OpenAiTtsConfig config, ServiceResources resources) {
        this.config = config;
        this.resources = resources;
    }

    public OpenAiTtsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TtsSession openSession(AudioFormat outputFormat, String callId) {
        requireNonNull(outputFormat, "outputFormat is null");
        requireNonNull(callId, "callId is null");
        return new Session(outputFormat.sampleRate());
    }

    @Override
    public void close() {
        resources.close();
    }

    @Override
    public String toString() {
        return "OpenAiTtsService[" + config.model() + "/" + config.voice() + " at " + config.endpoint().baseUrl() + "]";
    }

    /** A call's speech: requests are per sentence, so the session holds only the utterance to cancel on close. */
    private final class Session implements TtsSession {

        private final int rate;
        private TtsUtterance current;
        private boolean closed;

        Session(int rate) {
            this.rate = rate;
        }

        @Override
        public synchronized TtsUtterance startUtterance(TtsListener listener) {
            if (closed) {
                throw new IllegalStateException(NAME + ": the session is closed");
            }
            current = new SpeechUtterance(NAME, config, resources.http(), resources.context(), rate, listener);
            return current;
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (current != null) {
                current.cancel();
            }
        }
    }
}
