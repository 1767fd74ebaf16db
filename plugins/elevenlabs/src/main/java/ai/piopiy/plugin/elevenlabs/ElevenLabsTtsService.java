package ai.piopiy.plugin.elevenlabs;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.elevenlabs.internal.ElevenLabsProtocol;
import ai.piopiy.plugin.elevenlabs.internal.ElevenLabsSession;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.plugin.ttswebsocket.WebSocketClient;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import java.time.Duration;

/**
 * ElevenLabs streaming text-to-speech over the stream-input WebSocket
 * ({@code /v1/text-to-speech/{voice_id}/stream-input}), one socket per utterance. Thread-safe;
 * shared by all calls.
 */
public final class ElevenLabsTtsService implements TtsService {

    private static final String PROVIDER = "ElevenLabs";

    private final ElevenLabsTtsConfig config;
    private final ServiceResources resources;
    private final ElevenLabsProtocol protocol;

    /** For library use: no metrics, this class's logger. */
    public ElevenLabsTtsService(ElevenLabsTtsConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.resources = ServiceResources.standalone(ElevenLabsTtsProviderFactory.ID, PROVIDER, config.apiKey(), newClient(),
                ElevenLabsTtsService.class);
        this.protocol = new ElevenLabsProtocol(config);
    }

    public ElevenLabsTtsService(ElevenLabsTtsConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        this.resources = ServiceResources.of(ElevenLabsTtsProviderFactory.ID, PROVIDER, config.apiKey(), newClient(), context);
        this.protocol = new ElevenLabsProtocol(config);
    }

    private static WebSocketClient newClient() {
        // a socket lives for one answer: no pings; a cancelled one must not linger waiting for the server's close
        return new WebSocketClient(ElevenLabsTtsProviderFactory.ID, Duration.ZERO, Duration.ofSeconds(2));
    }

    public ElevenLabsTtsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return ElevenLabsTtsProviderFactory.ID;
    }

    @Override
    public TtsSession openSession(AudioFormat outputFormat, String callId) {
        return new ElevenLabsSession(resources, protocol, config.apiKey(), outputFormat, callId);
    }

    @Override
    public void close() {
        resources.close();
    }
}
