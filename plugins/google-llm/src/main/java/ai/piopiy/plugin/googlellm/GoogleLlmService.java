package ai.piopiy.plugin.googlellm;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.googlellm.internal.GenerateContentDecoder;
import ai.piopiy.plugin.googlellm.internal.GenerateContentRequest;
import ai.piopiy.plugin.googlellm.internal.ThoughtSignatures;
import ai.piopiy.plugin.llmhttp.SseLlmClient;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.Secret;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Gemini through the Gemini API ({@code POST {base_url}/v1beta/models/{model}:streamGenerateContent?alt=sse},
 * key in {@code x-goog-api-key}). Thread-safe; each {@link #stream} is its own HTTP request on its own
 * virtual thread.
 */
public final class GoogleLlmService implements LlmService {

    private static final String NAME = "google-llm";
    private static final MediaType JSON = MediaType.get("application/json");
    /** Far more calls than one phone conversation makes; see {@link ThoughtSignatures}. */
    private static final int REMEMBERED_SIGNATURES = 4096;

    private final GoogleLlmConfig config;
    private final HttpUrl url;
    private final SseLlmClient client;
    private final ThoughtSignatures signatures = new ThoughtSignatures(REMEMBERED_SIGNATURES);

    /** For use without the runtime: streams run on virtual threads, metrics are dropped. */
    public GoogleLlmService(GoogleLlmConfig config) {
        this(config, Optional.empty());
    }

    public GoogleLlmService(GoogleLlmConfig config, ProviderContext context) {
        this(config, Optional.of(requireNonNull(context, "context is null")));
    }

    private GoogleLlmService(GoogleLlmConfig config, Optional<ProviderContext> context) {
        this.config = requireNonNull(config, "config is null");
        this.url = url(config);
        Optional<Secret> key = Optional.of(config.apiKey());
        this.client = context
                .map(c -> new SseLlmClient(NAME, config.model(), key, config.retry(), config.timeout(), c))
                .orElseGet(() -> SseLlmClient.standalone(NAME, config.model(), key, config.retry(), config.timeout()));
    }

    /** The key goes in a header, never in the URL, so the URL can be shown in messages. */
    private static HttpUrl url(GoogleLlmConfig config) {
        String model = config.model().startsWith("models/") ? config.model().substring("models/".length()) : config.model();
        // a base ending in "/" ends in an empty segment, which OkHttp replaces with the first one added
        return HttpUrl.get(config.baseUrl()).newBuilder()
                .addPathSegment("v1beta").addPathSegment("models").addPathSegment(model + ":streamGenerateContent")
                .addQueryParameter("alt", "sse")
                .build();
    }

    public GoogleLlmConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LlmStream stream(LlmRequest request, LlmListener listener) {
        requireNonNull(request, "request is null");
        return client.stream(() -> new Request.Builder()
                        .url(url)
                        .header("x-goog-api-key", config.apiKey().reveal())
                        .header("Accept", "text/event-stream")
                        .post(RequestBody.create(GenerateContentRequest.body(config, request, signatures), JSON))
                        .build(),
                new GenerateContentDecoder(NAME, signatures), listener);
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "GoogleLlmService[" + config.model() + " at " + url + "]";
    }
}
