package ai.piopiy.plugin.openai;

import java.util.Optional;

/**
 * The servers that speak OpenAI's Chat Completions API and what differs between them: where they
 * are, which key they need, their default model, and the name of the output-length field.
 */
public enum OpenAiFlavor {
    OPENAI("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", "gpt-4o-mini",
            // max_tokens is deprecated and refused by the o-series reasoning models
            "max_completion_tokens"),
    GROQ("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY", "llama-3.3-70b-versatile",
            "max_completion_tokens"),
    OLLAMA("ollama", "http://localhost:11434/v1", null, "llama3.2",
            // Ollama's request struct has no max_completion_tokens: it would be ignored silently
            "max_tokens");

    private final String id;
    private final String defaultBaseUrl;
    private final String apiKeyEnv;
    private final String defaultModel;
    private final String maxTokensField;

    OpenAiFlavor(String id, String defaultBaseUrl, String apiKeyEnv, String defaultModel, String maxTokensField) {
        this.id = id;
        this.defaultBaseUrl = defaultBaseUrl;
        this.apiKeyEnv = apiKeyEnv;
        this.defaultModel = defaultModel;
        this.maxTokensField = maxTokensField;
    }

    /** The provider id a manifest names, and the service name in messages and metrics. */
    public String id() {
        return id;
    }

    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** The environment variable holding the key; empty when the server needs none (a local Ollama). */
    public Optional<String> apiKeyEnv() {
        return Optional.ofNullable(apiKeyEnv);
    }

    public String defaultModel() {
        return defaultModel;
    }

    /** The request field that carries {@code max_tokens}. */
    public String maxTokensField() {
        return maxTokensField;
    }
}
