package ai.piopiy.plugin.cartesia;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.cartesia.internal.CartesiaResources;
import ai.piopiy.plugin.cartesia.internal.CartesiaSession;
import ai.piopiy.plugin.support.SecretRedactor;
import ai.piopiy.plugin.support.WebSocketClient;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.MetricsSink;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import java.time.Duration;
import java.util.function.LongSupplier;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cartesia streaming text-to-speech over the TTS WebSocket ({@code /tts/websocket}): one socket per
 * call, one Cartesia context per utterance. Thread-safe; shared by all calls.
 */
public final class CartesiaTtsService implements TtsService {

    private final CartesiaTtsConfig config;
    private final WebSocketClient client;
    private final CartesiaResources resources;

    /** For library use: no metrics, this class's logger. */
    public CartesiaTtsService(CartesiaTtsConfig config) {
        this(config, MetricsSink.NONE, LoggerFactory.getLogger(CartesiaTtsService.class), System::nanoTime);
    }

    public CartesiaTtsService(CartesiaTtsConfig config, ProviderContext context) {
        this(config, requireNonNull(context, "context is null").metrics(), context.logger(), context::nanoTime);
    }

    private CartesiaTtsService(CartesiaTtsConfig config, MetricsSink metrics, Logger logger, LongSupplier clock) {
        this.config = requireNonNull(config, "config is null");
        // pings find a socket that died between answers, where no frame would tell
        this.client = new WebSocketClient(CartesiaResources.SERVICE, Duration.ofSeconds(20), Duration.ofSeconds(2));
        Request handshake = new Request.Builder()
                .url(config.webSocketUrl())
                .header("Authorization", "Bearer " + config.apiKey().reveal())
                .header("Cartesia-Version", config.cartesiaVersion())
                .build();
        this.resources = new CartesiaResources(config, client, handshake, metrics, logger, clock, new SecretRedactor(config.apiKey()));
    }

    public CartesiaTtsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return CartesiaResources.SERVICE;
    }

    @Override
    public TtsSession openSession(AudioFormat outputFormat, String callId) {
        return new CartesiaSession(resources, outputFormat, callId);
    }

    @Override
    public void close() {
        client.close();
    }
}
