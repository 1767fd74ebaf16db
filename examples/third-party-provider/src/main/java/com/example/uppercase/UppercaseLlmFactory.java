package com.example.uppercase;

import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.LlmProviderFactory;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;

/**
 * The plugin's entry point, listed in META-INF/services/ai.piopiy.spi.provider.ProviderFactory.
 * A manifest selects it with {@code "llm": {"provider": "uppercase", "prefix": "You said: "}}.
 */
public final class UppercaseLlmFactory implements LlmProviderFactory {

    @Override
    public String id() {
        return "uppercase";
    }

    @Override
    public String description() {
        return "repeats what the caller said, in capitals";
    }

    @Override
    public LlmService create(ProviderConfig config, ProviderContext context) {
        // read every setting the provider supports: the runtime reports the others as unknown
        String prefix = config.string("prefix", "");
        int maxWords = config.integer("max_words", 50);
        if (maxWords < 1) {
            throw new ConfigException(config.pathOf("max_words"), "expected at least 1, got " + maxWords);
        }
        return new UppercaseLlmService(prefix, maxWords, context);
    }
}
