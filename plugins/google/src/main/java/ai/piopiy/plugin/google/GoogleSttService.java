package ai.piopiy.plugin.google;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.google.internal.Authorization;
import ai.piopiy.plugin.google.internal.GoogleSttStream;
import ai.piopiy.plugin.google.internal.GrpcChannels;
import ai.piopiy.plugin.google.internal.HttpClients;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import java.net.http.HttpClient;

/**
 * Google Cloud Speech-to-Text v1 streaming recognition. All calls share one gRPC channel (one HTTP/2
 * connection, a stream per call) and one access token.
 */
public final class GoogleSttService implements SttService {

    public static final String NAME = "google-stt";

    private final GoogleSttConfig config;
    private final ProviderContext context;
    private final HttpClient http;
    private final ManagedChannel channel;
    private final Authorization authorization;
    private final CallOptions callOptions;

    public GoogleSttService(GoogleSttConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.http = HttpClients.create(context);
        this.authorization = HttpClients.authorization(NAME, config.credentials(), http, context);
        this.channel = GrpcChannels.open(config.endpoint(), context.blockingExecutor());
        this.callOptions = CallOptions.DEFAULT
                .withCallCredentials(GrpcChannels.credentials(authorization, context.blockingExecutor()));
    }

    public GoogleSttConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SttStream openStream(SttStreamSpec spec, SttListener listener) {
        return new GoogleSttStream(NAME, config, channel, callOptions, authorization, context, spec, listener);
    }

    @Override
    public void close() {
        GrpcChannels.shutdown(channel);
        http.shutdownNow();
    }
}
