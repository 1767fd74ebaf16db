package ai.piopiy.plugin.assemblyai;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.assemblyai.internal.AssemblyAiSttStream;
import ai.piopiy.plugin.assemblyai.internal.StreamingRequest;
import ai.piopiy.plugin.ttswebsocket.OpenSttStreams;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.plugin.ttswebsocket.WebSocketClient;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * AssemblyAI Universal Streaming speech-to-text: one WebSocket session to {@code /v3/ws} per call, sending
 * the caller's PCM in 50 ms binary frames and turning {@code Turn} messages into interim and final
 * transcripts. A dropped session is replaced without ending the call; see {@link AssemblyAiSttConfig} for
 * the limits. Thread-safe; shared by all calls.
 */
public final class AssemblyAiSttService implements SttService {

    private static final String PROVIDER = "AssemblyAI";

    private final AssemblyAiSttConfig config;
    private final ServiceResources resources;
    private final ScheduledExecutorService scheduler;
    private final OpenSttStreams streams = new OpenSttStreams(PROVIDER);

    public AssemblyAiSttService(AssemblyAiSttConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        // pings find a session that died silently; the server's own close frame comes within 2 s or is not waited for
        WebSocketClient client = new WebSocketClient(AssemblyAiSttProviderFactory.ID, Duration.ofSeconds(20), Duration.ofSeconds(2));
        this.resources = ServiceResources.of(AssemblyAiSttProviderFactory.ID, PROVIDER, config.apiKey(), client, context);
        this.scheduler = context.scheduler();
    }

    public AssemblyAiSttConfig config() {
        return config;
    }

    @Override
    public String name() {
        return AssemblyAiSttProviderFactory.ID;
    }

    @Override
    public SttStream openStream(SttStreamSpec spec, SttListener listener) {
        AssemblyAiSttStream stream = new AssemblyAiSttStream(config, resources, scheduler,
                StreamingRequest.of(config, spec.format().sampleRate()), spec, listener);
        return streams.start(stream);
    }

    @Override
    public void close() {
        streams.cancelAll();
        resources.close();
    }
}
