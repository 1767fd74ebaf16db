package ai.piopiy.plugin.google;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.google.internal.Authorization;
import ai.piopiy.plugin.google.internal.GrpcChannels;
import ai.piopiy.plugin.google.internal.HttpClients;
import ai.piopiy.plugin.google.internal.StreamingSynthesizeUtterance;
import ai.piopiy.plugin.google.internal.SynthesizeUtterance;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import java.net.http.HttpClient;

/**
 * Google Cloud Text-to-Speech. With {@link GoogleTtsConfig#streaming()} each utterance is one
 * {@code StreamingSynthesize} call (all calls share one gRPC channel); otherwise each sentence is one
 * {@code text:synthesize} REST request for LINEAR16. Audio is PCM at the session's rate either way, and
 * all calls share one access token.
 */
public final class GoogleTtsService implements TtsService {

    public static final String NAME = "google-tts";

    private final GoogleTtsConfig config;
    private final ProviderContext context;
    private final HttpClient http;
    private final Authorization authorization;
    private final ManagedChannel channel; // null unless streaming
    private final CallOptions callOptions;

    public GoogleTtsService(GoogleTtsConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.http = HttpClients.create(context);
        this.authorization = HttpClients.authorization(NAME, config.credentials(), http, context);
        this.channel = config.streaming() ? GrpcChannels.open(config.endpoint(), context.blockingExecutor()) : null;
        this.callOptions = CallOptions.DEFAULT.withCallCredentials(GrpcChannels.credentials(authorization, context.blockingExecutor()));
    }

    public GoogleTtsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TtsSession openSession(AudioFormat outputFormat, String callId) {
        requireNonNull(outputFormat, "outputFormat is null");
        requireNonNull(callId, "callId is null");
        return new TtsSession() {
            @Override
            public TtsUtterance startUtterance(TtsListener listener) {
                return channel != null
                        ? new StreamingSynthesizeUtterance(NAME, config, channel, callOptions, context, outputFormat.sampleRate(), listener)
                        : new SynthesizeUtterance(NAME, config, http, authorization, context, outputFormat.sampleRate(), listener);
            }

            @Override
            public void close() {
                // the HTTP client and the gRPC channel are the service's, shared by every call
            }
        };
    }

    @Override
    public void close() {
        if (channel != null) {
            GrpcChannels.shutdown(channel);
        }
        http.shutdownNow();
    }
}
