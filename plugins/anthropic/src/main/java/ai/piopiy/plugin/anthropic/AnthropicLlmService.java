package ai.piopiy.plugin.anthropic;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.anthropic.internal.MessagesDecoder;
import ai.piopiy.plugin.anthropic.internal.MessagesRequest;
import ai.piopiy.plugin.llmhttp.SseLlmClient;
import ai.piopiy.plugin.llmhttp.StandaloneContext;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.provider.ProviderContext;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Claude through Anthropic's Messages API ({@code POST {base_url}/v1/messages} with
 * {@code stream: true}). Thread-safe; each {@link #stream} is its own HTTP request on its own
 * virtual thread.
 */
public final class AnthropicLlmService implements LlmService {

    /** The API version this client speaks; the event shapes it decodes are those of this version. */
    public static final String API_VERSION = "2023-06-01";

    private static final MediaType JSON = MediaType.get("application/json");

    private final AnthropicLlmConfig config;
    private final HttpUrl url;
    private final SseLlmClient client;
    private final Optional<StandaloneContext> ownContext;

    /** For use without the runtime: streams run on virtual threads, metrics are dropped. */
    public AnthropicLlmService(AnthropicLlmConfig config) {
        this(config, new StandaloneContext("anthropic"), true);
    }

    public AnthropicLlmService(AnthropicLlmConfig config, ProviderContext context) {
        this(config, context, false);
    }

    private AnthropicLlmService(AnthropicLlmConfig config, ProviderContext context, boolean owned) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        String base = config.baseUrl().endsWith("/") ? config.baseUrl().substring(0, config.baseUrl().length() - 1) : config.baseUrl();
        this.url = HttpUrl.get(base + "/v1/messages");
        this.client = new SseLlmClient(name(), config.model(), Optional.of(config.apiKey()), config.retry(),
                config.timeout(), context);
        this.ownContext = owned ? Optional.of((StandaloneContext) context) : Optional.empty();
    }

    public AnthropicLlmConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public LlmStream stream(LlmRequest request, LlmListener listener) {
        requireNonNull(request, "request is null");
        return client.stream(() -> new Request.Builder()
                        .url(url)
                        .header("x-api-key", config.apiKey().reveal())
                        .header("anthropic-version", API_VERSION)
                        .header("Accept", "text/event-stream")
                        .post(RequestBody.create(MessagesRequest.body(config, request), JSON))
                        .build(),
                new MessagesDecoder(name()), listener);
    }

    @Override
    public void close() {
        client.close();
        ownContext.ifPresent(StandaloneContext::close);
    }

    @Override
    public String toString() {
        return "AnthropicLlmService[" + config.model() + " at " + url + "]";
    }
}
