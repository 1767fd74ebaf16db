package ai.piopiy.plugin.elevenlabs;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.elevenlabs.internal.ElevenLabsProtocol;
import ai.piopiy.plugin.elevenlabs.internal.ElevenLabsResources;
import ai.piopiy.plugin.elevenlabs.internal.ElevenLabsSession;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.MetricsSink;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElevenLabs streaming text-to-speech over the stream-input WebSocket
 * ({@code /v1/text-to-speech/{voice_id}/stream-input}), one socket per utterance. Thread-safe;
 * shared by all calls.
 */
public final class ElevenLabsTtsService implements TtsService {

    private final ElevenLabsTtsConfig config;
    private final ExecutorService threads;
    private final OkHttpClient client;
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
        // each open socket keeps a reader thread: virtual threads make a thousand calls cheap
        this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("elevenlabs-", 0).factory());
        Dispatcher dispatcher = new Dispatcher(threads);
        dispatcher.setMaxRequests(Integer.MAX_VALUE);
        dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
        this.client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ZERO)
                // a cancelled answer's socket must not linger waiting for the server's close frame
                .webSocketCloseTimeout(Duration.ofSeconds(2))
                .build();
        this.resources = new ElevenLabsResources(config, new ElevenLabsProtocol(config), client, threads, metrics, logger, clock);
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
        threads.shutdownNow();
        client.connectionPool().evictAll();
    }
}
