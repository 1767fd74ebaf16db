package ai.piopiy.plugin.openai.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.StandaloneContext;
import ai.piopiy.spi.provider.ProviderContext;
import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * What an audio service owns: one OkHttp client for all its calls and, when it was made from code
 * without the runtime, the context it made for itself. Closing stops OkHttp's pool so no thread
 * outlives the service.
 */
public final class ServiceResources implements AutoCloseable {

    private final ProviderContext context;
    private final Optional<StandaloneContext> ownContext;
    private final OkHttpClient http;

    private ServiceResources(ProviderContext context, Optional<StandaloneContext> ownContext, Duration readTimeout) {
        this.context = requireNonNull(context, "context is null");
        this.ownContext = ownContext;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(requireNonNull(readTimeout, "readTimeout is null"))
                .build();
    }

    /** On the runtime's context, which the runtime closes. */
    public static ServiceResources on(ProviderContext context, Duration readTimeout) {
        return new ServiceResources(context, Optional.empty(), readTimeout);
    }

    /** On a {@link StandaloneContext} of its own (virtual threads, metrics dropped), closed with it. */
    public static ServiceResources standalone(String name, Duration readTimeout) {
        StandaloneContext context = new StandaloneContext(name);
        return new ServiceResources(context, Optional.of(context), readTimeout);
    }

    public ProviderContext context() {
        return context;
    }

    public OkHttpClient http() {
        return http;
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        ownContext.ifPresent(StandaloneContext::close);
    }
}
