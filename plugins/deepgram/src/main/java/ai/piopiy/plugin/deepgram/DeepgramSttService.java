package ai.piopiy.plugin.deepgram;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.deepgram.internal.DeepgramSttStream;
import ai.piopiy.plugin.deepgram.internal.ListenRequest;
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
 * Deepgram live speech-to-text: one WebSocket to {@code /v1/listen} per call, sending the caller's PCM as
 * binary frames and turning {@code Results}, {@code SpeechStarted} and {@code UtteranceEnd} messages into
 * listener calls. A dropped socket is reopened without ending the call; see {@link DeepgramSttConfig} for
 * the limits.
 */
public final class DeepgramSttService implements SttService {

    private final DeepgramSttConfig config;
    private final ServiceResources resources;
    private final ScheduledExecutorService scheduler;
    private final OpenSttStreams streams = new OpenSttStreams("Deepgram");

    public DeepgramSttService(DeepgramSttConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        // the handshake timeout ends at the upgrade; afterwards a quiet socket is normal (no interim results),
        // and KeepAlive messages, not pings, keep Deepgram from closing it
        WebSocketClient client = new WebSocketClient("deepgram", Duration.ZERO, Duration.ofSeconds(2), config.connectTimeout(),
                config.connectTimeout());
        this.resources = ServiceResources.of("deepgram", "Deepgram", config.apiKey(), client, context);
        this.scheduler = context.scheduler();
    }

    public DeepgramSttConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "deepgram";
    }

    @Override
    public void prewarm() {
        DeepgramSttStream.prewarm();
    }

    @Override
    public SttStream openStream(SttStreamSpec spec, SttListener listener) {
        DeepgramSttStream stream = new DeepgramSttStream(config, resources, scheduler,
                ListenRequest.of(config, spec.format().sampleRate()), spec, listener);
        return streams.start(stream);
    }

    @Override
    public void close() {
        streams.cancelAll();
        resources.close();
    }
}
