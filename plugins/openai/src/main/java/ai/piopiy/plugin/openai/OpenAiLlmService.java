package ai.piopiy.plugin.openai;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.SseLlmClient;
import ai.piopiy.plugin.openai.internal.ChatCompletionsDecoder;
import ai.piopiy.plugin.openai.internal.ChatCompletionsRequest;
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
 * An LLM behind OpenAI's Chat Completions API ({@code POST {base_url}/chat/completions} with
 * {@code stream: true}): OpenAI itself, Groq, Ollama, or any server speaking it. Thread-safe; each
 * {@link #stream} is its own HTTP request on its own virtual thread.
 */
public final class OpenAiLlmService implements LlmService {

    private static final MediaType JSON = MediaType.get("application/json");

    private final OpenAiLlmConfig config;
    private final HttpUrl url;
    private final SseLlmClient client;

    /** For use without the runtime: streams run on virtual threads, metrics are dropped. */
    public OpenAiLlmService(OpenAiLlmConfig config) {
        this(config, Optional.empty());
    }

    public OpenAiLlmService(OpenAiLlmConfig config, ProviderContext context) {
        this(config, Optional.of(requireNonNull(context, "context is null")));
    }

    private OpenAiLlmService(OpenAiLlmConfig config, Optional<ProviderContext> context) {
        this.config = requireNonNull(config, "config is null");
        this.url = HttpUrl.get(stripSlash(config.baseUrl()) + "/chat/completions");
        String name = config.flavor().id();
        this.client = context
                .map(c -> new SseLlmClient(name, config.model(), config.apiKey(), config.retry(), config.timeout(), c))
                .orElseGet(() -> SseLlmClient.standalone(name, config.model(), config.apiKey(), config.retry(), config.timeout()));
    }

    public OpenAiLlmConfig config() {
        return config;
    }

    @Override
    public String name() {
        return config.flavor().id();
    }

    @Override
    public LlmStream stream(LlmRequest request, LlmListener listener) {
        requireNonNull(request, "request is null");
        return client.stream(() -> httpRequest(request), new ChatCompletionsDecoder(name()), listener);
    }

    private Request httpRequest(LlmRequest request) {
        Request.Builder builder = new Request.Builder()
                .url(url)
                .header("Accept", "text/event-stream")
                .post(RequestBody.create(ChatCompletionsRequest.body(config, request), JSON));
        config.apiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key.reveal()));
        return builder.build();
    }

    @Override
    public void close() {
        client.close();
    }

    private static String stripSlash(String baseUrl) {
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @Override
    public String toString() {
        return "OpenAiLlmService[" + name() + ", " + config.model() + " at " + url + "]";
    }
}
