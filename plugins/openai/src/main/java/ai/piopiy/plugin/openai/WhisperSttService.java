package ai.piopiy.plugin.openai;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.StandaloneContext;
import ai.piopiy.plugin.openai.internal.WhisperSttStream;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * Segmented speech recognition through OpenAI's transcription API, or any server speaking it
 * (speaches, whisper.cpp's server): each stretch of speech the VAD marks is uploaded as one WAV and
 * comes back as one final transcript. Thread-safe; streams share one OkHttp client.
 */
public final class WhisperSttService implements SttService {

    public static final String NAME = "whisper";

    private final WhisperSttConfig config;
    private final ProviderContext context;
    private final Optional<StandaloneContext> ownContext;
    private final OkHttpClient http;

    /** For use without the runtime: uploads run on virtual threads, metrics are dropped. */
    public WhisperSttService(WhisperSttConfig config) {
        this(config, new StandaloneContext(NAME), true);
    }

    public WhisperSttService(WhisperSttConfig config, ProviderContext context) {
        this(config, context, false);
    }

    private WhisperSttService(WhisperSttConfig config, ProviderContext context, boolean owned) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.ownContext = owned ? Optional.of((StandaloneContext) context) : Optional.empty();
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .callTimeout(config.timeout())
                .readTimeout(config.timeout())
                .build();
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
        return new WhisperSttStream(NAME, config, http, context, spec, listener);
    }

    /** Stops OkHttp's pool so no thread outlives the service. */
    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        ownContext.ifPresent(StandaloneContext::close);
    }

    @Override
    public String toString() {
        return "WhisperSttService[" + config.model() + " at " + config.endpoint().baseUrl() + "]";
    }
}
