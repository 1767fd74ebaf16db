package ai.piopiy.plugin.openai;

/** Provider {@code openai}: OpenAI Chat Completions (streamed), default model gpt-4o-mini. */
public final class OpenAiLlmProviderFactory extends OpenAiCompatibleProviderFactory {

    public OpenAiLlmProviderFactory() {
        super(OpenAiFlavor.OPENAI, "OpenAI Chat Completions (streamed), default model gpt-4o-mini");
    }
}
