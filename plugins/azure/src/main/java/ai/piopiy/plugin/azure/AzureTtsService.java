package ai.piopiy.plugin.azure;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.azure.internal.AzureTtsUtterance;
import ai.piopiy.plugin.azure.internal.OutputFormat;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.plugin.ttswebsocket.WebSocketClient;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * Azure Speech text-to-speech through the REST synthesis API ({@code POST /cognitiveservices/v1} with
 * SSML): one request per sentence, raw PCM at the call's rate where the service offers it, streamed to
 * the listener as it arrives. Thread-safe; sessions share one OkHttp client.
 */
public final class AzureTtsService implements TtsService {

    public static final String NAME = "azure-tts";
    /** The API requires a User-Agent (under 255 characters). */
    public static final String USER_AGENT = "piopiy-java/0.1.0";

    private static final String PROVIDER = "Azure Speech";

    private final AzureTtsConfig config;
    private final ServiceResources resources;
    private final OkHttpClient http;

    /** For library use: no metrics, this class's logger. */
    public AzureTtsService(AzureTtsConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.resources = ServiceResources.standalone(NAME, PROVIDER, config.account().apiKey(), threads(), AzureTtsService.class);
        this.http = http(config);
    }

    public AzureTtsService(AzureTtsConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        this.resources = ServiceResources.of(NAME, PROVIDER, config.account().apiKey(), threads(), context);
        this.http = http(config);
    }

    /**
     * The shared utterance state machine takes its callback threads from a {@link WebSocketClient}; this
     * service opens no socket with it and runs its requests on those same virtual threads.
     */
    private static WebSocketClient threads() {
        return new WebSocketClient(NAME, Duration.ZERO, Duration.ofSeconds(1));
    }

    private static OkHttpClient http(AzureTtsConfig config) {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(config.timeout())
                .build();
    }

    public AzureTtsConfig config() {
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
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "AzureTtsService[" + config.voice() + " at " + config.url() + "]";
    }

    /** A call's speech: requests are per sentence, so the session holds only the utterance to cancel on close. */
    private final class Session implements TtsSession {

        private final int rate;
        private final OutputFormat format;
        private TtsUtterance current;
        private boolean closed;

        Session(int rate) {
            this.rate = rate;
            this.format = OutputFormat.forSessionRate(rate);
        }

        @Override
        public synchronized TtsUtterance startUtterance(TtsListener listener) {
            if (closed) {
                throw new IllegalStateException(NAME + ": the session is closed");
            }
            current = new AzureTtsUtterance(resources, config, http, resources.client().callbacks(), format, rate, USER_AGENT, listener);
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
