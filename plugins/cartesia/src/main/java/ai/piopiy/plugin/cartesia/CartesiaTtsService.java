package ai.piopiy.plugin.cartesia;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.cartesia.internal.CartesiaSession;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.plugin.ttswebsocket.WebSocketClient;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import java.time.Duration;
import okhttp3.Request;

/**
 * Cartesia streaming text-to-speech over the TTS WebSocket ({@code /tts/websocket}): one socket per
 * call, one Cartesia context per utterance. Thread-safe; shared by all calls.
 */
public final class CartesiaTtsService implements TtsService {

    private static final String PROVIDER = "Cartesia";

    private final CartesiaTtsConfig config;
    private final ServiceResources resources;
    private final Request handshake;

    /** For library use: no metrics, this class's logger. */
    public CartesiaTtsService(CartesiaTtsConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.resources = ServiceResources.standalone(CartesiaTtsProviderFactory.ID, PROVIDER, config.apiKey(), newClient(),
                CartesiaTtsService.class);
        this.handshake = handshake(config);
    }

    public CartesiaTtsService(CartesiaTtsConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        this.resources = ServiceResources.of(CartesiaTtsProviderFactory.ID, PROVIDER, config.apiKey(), newClient(), context);
        this.handshake = handshake(config);
    }

    private static WebSocketClient newClient() {
        // pings find a socket that died between answers, where no frame would tell
        return new WebSocketClient(CartesiaTtsProviderFactory.ID, Duration.ofSeconds(20), Duration.ofSeconds(2));
    }

    private static Request handshake(CartesiaTtsConfig config) {
        return new Request.Builder()
                .url(config.webSocketUrl())
                .header("Authorization", "Bearer " + config.apiKey().reveal())
                .header("Cartesia-Version", config.cartesiaVersion())
                .build();
    }

    public CartesiaTtsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return CartesiaTtsProviderFactory.ID;
    }

    @Override
    public TtsSession openSession(AudioFormat outputFormat, String callId) {
        return new CartesiaSession(resources, config, handshake, outputFormat, callId);
    }

    @Override
    public void close() {
        resources.close();
    }
}
