package ai.piopiy.plugin.googlellm;

import ai.piopiy.spi.provider.LlmProviderFactory;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import java.util.Set;

/** Provider {@code google-llm}: Gemini through the Gemini API, streamed. */
public final class GoogleLlmProviderFactory implements LlmProviderFactory {

    @Override
    public String id() {
        return "google-llm";
    }

    @Override
    public String description() {
        return "Google Gemini (Gemini API streamGenerateContent), default model " + GoogleLlmConfig.DEFAULT_MODEL;
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public GoogleLlmService create(ProviderConfig config, ProviderContext context) {
        return new GoogleLlmService(GoogleLlmConfig.from(config), context);
    }
}
