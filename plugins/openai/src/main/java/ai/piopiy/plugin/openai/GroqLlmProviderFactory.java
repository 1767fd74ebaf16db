package ai.piopiy.plugin.openai;

/** Provider {@code groq}: Groq (OpenAI-compatible Chat Completions, streamed), default model llama-3.3-70b-versatile. */
public final class GroqLlmProviderFactory extends OpenAiCompatibleProviderFactory {

    public GroqLlmProviderFactory() {
        super(OpenAiFlavor.GROQ, "Groq (OpenAI-compatible Chat Completions, streamed), default model llama-3.3-70b-versatile");
    }
}
