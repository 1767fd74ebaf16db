package ai.piopiy.plugin.anthropic;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.anthropic.internal.MessagesDecoder;
import ai.piopiy.plugin.anthropic.internal.MessagesRequest;
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
 * Claude through Anthropic's Messages API ({@code POST {base_url}/v1/messages} with
 * {@code stream: true}). Thread-safe; each {@link #stream} is its own HTTP request on its own
 * virtual thread.
 */
public final class AnthropicLlmService implements LlmService {

    /** The API version this client speaks; the event shapes it decodes are those of this version. */
    public static final String API_VERSION = "2023-06-01";

    private static final String NAME = "anthropic";
    private static final MediaType JSON = MediaType.get("application/json");

    private final AnthropicLlmConfig config;
    private final HttpUrl url;
    private final SseLlmClient client;

    /** For use without the runtime: streams run on virtual threads, metrics are dropped. */
    public AnthropicLlmService(AnthropicLlmConfig config) {
        this(config, Optional.empty());
    }

    public AnthropicLlmService(AnthropicLlmConfig config, ProviderContext context) {
        this(config, Optional.of(requireNonNull(context, "context is null")));
    }

    private AnthropicLlmService(AnthropicLlmConfig config, Optional<ProviderContext> context) {
        this.config = requireNonNull(config, "config is null");
        String base = config.baseUrl().endsWith("/") ? config.baseUrl().substring(0, config.baseUrl().length() - 1) : config.baseUrl();
        this.url = HttpUrl.get(base + "/v1/messages");
        Optional<Secret> key = Optional.of(config.apiKey());
        this.client = context
                .map(c -> new SseLlmClient(NAME, config.model(), key, config.retry(), config.timeout(), c))
                .orElseGet(() -> SseLlmClient.standalone(NAME, config.model(), key, config.retry(), config.timeout()));
    }

    public AnthropicLlmConfig config() {
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
    }

    @Override
    public String toString() {
        return "AnthropicLlmService[" + config.model() + " at " + url + "]";
    }
}
