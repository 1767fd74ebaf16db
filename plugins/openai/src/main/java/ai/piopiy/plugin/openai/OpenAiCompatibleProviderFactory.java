package ai.piopiy.plugin.openai;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.provider.LlmProviderFactory;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import java.util.Set;

/** The factory of one flavor of OpenAI-compatible LLM; the plugin lists one subclass per provider id. */
public abstract sealed class OpenAiCompatibleProviderFactory implements LlmProviderFactory
        permits OpenAiLlmProviderFactory, GroqLlmProviderFactory, OllamaLlmProviderFactory {

    private final OpenAiFlavor flavor;
    private final String description;

    OpenAiCompatibleProviderFactory(OpenAiFlavor flavor, String description) {
        this.flavor = requireNonNull(flavor, "flavor is null");
        this.description = requireNonNull(description, "description is null");
    }

    @Override
    public String id() {
        return flavor.id();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public OpenAiLlmService create(ProviderConfig config, ProviderContext context) {
        return new OpenAiLlmService(OpenAiLlmConfig.from(config, flavor), context);
    }
}
