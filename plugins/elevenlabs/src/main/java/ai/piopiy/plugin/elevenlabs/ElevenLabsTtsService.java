package ai.piopiy.plugin.elevenlabs;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.elevenlabs.internal.ElevenLabsProtocol;
import ai.piopiy.plugin.elevenlabs.internal.ElevenLabsResources;
import ai.piopiy.plugin.elevenlabs.internal.ElevenLabsSession;
import ai.piopiy.plugin.support.SecretRedactor;
import ai.piopiy.plugin.support.WebSocketClient;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.MetricsSink;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElevenLabs streaming text-to-speech over the stream-input WebSocket
 * ({@code /v1/text-to-speech/{voice_id}/stream-input}), one socket per utterance. Thread-safe;
 * shared by all calls.
 */
public final class ElevenLabsTtsService implements TtsService {

    private final ElevenLabsTtsConfig config;
    private final WebSocketClient client;
    private final ElevenLabsResources resources;

    /** For library use: no metrics, this class's logger. */
    public ElevenLabsTtsService(ElevenLabsTtsConfig config) {
        this(config, MetricsSink.NONE, LoggerFactory.getLogger(ElevenLabsTtsService.class), System::nanoTime);
    }

    public ElevenLabsTtsService(ElevenLabsTtsConfig config, ProviderContext context) {
        this(config, requireNonNull(context, "context is null").metrics(), context.logger(), context::nanoTime);
    }

    private ElevenLabsTtsService(ElevenLabsTtsConfig config, MetricsSink metrics, Logger logger, LongSupplier clock) {
        this.config = requireNonNull(config, "config is null");
        // a socket lives for one answer: no pings; a cancelled one must not linger waiting for the server's close
        this.client = new WebSocketClient(ElevenLabsResources.SERVICE, Duration.ZERO, Duration.ofSeconds(2));
        this.resources = new ElevenLabsResources(config, new ElevenLabsProtocol(config), client, metrics, logger, clock,
                new SecretRedactor(config.apiKey()));
    }

    public ElevenLabsTtsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return ElevenLabsResources.SERVICE;
    }

    @Override
    public TtsSession openSession(AudioFormat outputFormat, String callId) {
        return new ElevenLabsSession(resources, outputFormat, callId);
    }

    @Override
    public void close() {
        client.close();
    }
}
