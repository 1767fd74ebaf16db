package ai.piopiy.plugin.openai;

/** Provider {@code ollama}: Ollama's OpenAI-compatible API on a local server, default model llama3.2. */
public final class OllamaLlmProviderFactory extends OpenAiCompatibleProviderFactory {

    public OllamaLlmProviderFactory() {
        super(OpenAiFlavor.OLLAMA, "Ollama's OpenAI-compatible API on a local server, default model llama3.2");
    }
}
