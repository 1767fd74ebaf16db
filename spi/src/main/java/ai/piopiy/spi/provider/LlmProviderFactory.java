package ai.piopiy.spi.provider;

import ai.piopiy.spi.llm.LlmService;

/** A factory of {@link LlmService}s. */
public interface LlmProviderFactory extends ProviderFactory {

    @Override
    default ProviderKind kind() {
        return ProviderKind.LLM;
    }

    @Override
    LlmService create(ProviderConfig config, ProviderContext context);
}
