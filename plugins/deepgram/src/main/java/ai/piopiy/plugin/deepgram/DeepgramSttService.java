package ai.piopiy.plugin.deepgram;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.deepgram.internal.DeepgramSttStream;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Deepgram live speech-to-text: one WebSocket to {@code /v1/listen} per call, sending the caller's PCM as
 * binary frames and turning {@code Results}, {@code SpeechStarted} and {@code UtteranceEnd} messages into
 * listener calls. A dropped socket is reopened without ending the call; see {@link DeepgramSttConfig} for
 * the limits.
 */
public final class DeepgramSttService implements SttService {

    private final DeepgramSttConfig config;
    private final ProviderContext context;
    private final OkHttpClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final Set<DeepgramSttStream> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public DeepgramSttService(DeepgramSttConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        Dispatcher dispatcher = new Dispatcher();
        // OkHttp keeps a dispatcher thread per open WebSocket, and counts it against these limits
        dispatcher.setMaxRequests(Integer.MAX_VALUE);
        dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
        long connectMillis = config.connectTimeout().toMillis();
        this.client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectTimeout(connectMillis, TimeUnit.MILLISECONDS)
                // the call timeout ends at the upgrade; afterwards a quiet socket is normal (no interim results)
                .callTimeout(connectMillis, TimeUnit.MILLISECONDS)
                .readTimeout(0, TimeUnit.MILLISECONDS)
                .build();
    }

    public DeepgramSttConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "deepgram";
    }

    @Override
    public SttStream openStream(SttStreamSpec spec, SttListener listener) {
        if (closed) {
            throw new IllegalStateException("the Deepgram service is closed");
        }
        DeepgramSttStream stream = new DeepgramSttStream(config, context, client, json, spec, listener);
        streams.add(stream);
        stream.finished().whenComplete((ignored, error) -> streams.remove(stream));
        stream.start();
        return stream;
    }

    @Override
    public void close() {
        closed = true;
        for (DeepgramSttStream stream : streams) {
            stream.cancel();
        }
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
