package ai.piopiy.plugin.deepgram;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.deepgram.internal.DeepgramTtsSession;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.plugin.ttswebsocket.WebSocketClient;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import java.time.Duration;

/**
 * Deepgram Aura streaming text-to-speech over the speak WebSocket ({@code /v1/speak}): one socket per
 * call, answers spoken one after another on it, {@code Flush} to make Deepgram speak what it holds and
 * {@code Clear} when the caller interrupts. Thread-safe; shared by all calls.
 */
public final class DeepgramTtsService implements TtsService {

    private static final String PROVIDER = "Deepgram";

    private final DeepgramTtsConfig config;
    private final ServiceResources resources;

    /** For library use: no metrics, this class's logger. */
    public DeepgramTtsService(DeepgramTtsConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.resources = ServiceResources.standalone(DeepgramTtsProviderFactory.ID, PROVIDER, config.apiKey(), newClient(),
                DeepgramTtsService.class);
    }

    public DeepgramTtsService(DeepgramTtsConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        this.resources = ServiceResources.of(DeepgramTtsProviderFactory.ID, PROVIDER, config.apiKey(), newClient(), context);
    }

    private static WebSocketClient newClient() {
        // pings find a socket that died between answers, where no frame would tell
        return new WebSocketClient(DeepgramTtsProviderFactory.ID, Duration.ofSeconds(20), Duration.ofSeconds(2));
    }

    public DeepgramTtsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return DeepgramTtsProviderFactory.ID;
    }

    @Override
    public TtsSession openSession(AudioFormat outputFormat, String callId) {
        return new DeepgramTtsSession(resources, config, outputFormat, callId);
    }

    @Override
    public void close() {
        resources.close();
    }
}
