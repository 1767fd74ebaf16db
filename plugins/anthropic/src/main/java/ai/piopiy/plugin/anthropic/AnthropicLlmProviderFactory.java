package ai.piopiy.plugin.anthropic;

import ai.piopiy.spi.provider.LlmProviderFactory;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import java.util.Set;

/** Provider {@code anthropic}: Claude through the Messages API, streamed. */
public final class AnthropicLlmProviderFactory implements LlmProviderFactory {

    @Override
    public String id() {
        return "anthropic";
    }

    @Override
    public String description() {
        return "Anthropic Claude (Messages API, streamed), default model " + AnthropicLlmConfig.DEFAULT_MODEL;
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public AnthropicLlmService create(ProviderConfig config, ProviderContext context) {
        return new AnthropicLlmService(AnthropicLlmConfig.from(config), context);
    }
}
