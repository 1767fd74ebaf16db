package ai.piopiy.plugin.azure;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.azure.internal.AzureSttStream;
import ai.piopiy.plugin.llmhttp.StandaloneContext;
import ai.piopiy.plugin.ttswebsocket.OpenSttStreams;
import ai.piopiy.plugin.ttswebsocket.WebSocketClient;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Optional;

/**
 * Azure Speech continuous recognition, spoken directly over the service's WebSocket protocol: one
 * connection per call, replaced before the service's 10-minute limit and reopened when it drops, without
 * losing the audio the service had not settled. See {@link AzureSttConfig} for the settings.
 *
 * <p>Why not the Speech SDK for Java: it wraps a native library that cannot be pointed at a local test
 * server reliably, so this client speaks the protocol the SDKs speak.
 */
public final class AzureSttService implements SttService {

    public static final String NAME = "azure-stt";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final AzureSttConfig config;
    private final ProviderContext context;
    private final Optional<StandaloneContext> ownContext;
    private final WebSocketClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final OpenSttStreams streams = new OpenSttStreams("Azure Speech STT");

    /** For use without the runtime: timers and sockets on threads of its own, metrics dropped. */
    public AzureSttService(AzureSttConfig config) {
        this(config, new StandaloneContext(NAME));
    }

    public AzureSttService(AzureSttConfig config, ProviderContext context) {
        this(config, context, Optional.empty());
    }

    private AzureSttService(AzureSttConfig config, StandaloneContext own) {
        this(config, own, Optional.of(own));
    }

    private AzureSttService(AzureSttConfig config, ProviderContext context, Optional<StandaloneContext> ownContext) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.ownContext = ownContext;
        // pings find a connection that died without a close, where no message would tell; the handshake timeout
        // ends at the upgrade
        this.client = new WebSocketClient(NAME, Duration.ofSeconds(20), Duration.ofSeconds(2), CONNECT_TIMEOUT, CONNECT_TIMEOUT);
    }

    public AzureSttConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SttStream openStream(SttStreamSpec spec, SttListener listener) {
        return streams.start(new AzureSttStream(config, context, client, json, spec, listener));
    }

    @Override
    public void close() {
        streams.cancelAll();
        client.close();
        ownContext.ifPresent(StandaloneContext::close);
    }

    @Override
    public String toString() {
        return "AzureSttService[" + config.language() + " at " + config.url().host() + "]";
    }
}
