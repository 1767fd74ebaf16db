package ai.piopiy.plugin.openai;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.Secret;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Where the OpenAI audio APIs are and the key they take, read the way the {@code openai} LLM reads
 * them: {@code api_key} or {@code OPENAI_API_KEY}, {@code base_url} defaulting to OpenAI's. A local
 * server speaking the same API (speaches, whisper.cpp, Kokoro-FastAPI) needs no key, so the key is
 * required only when the base URL is OpenAI's own.
 */
public record OpenAiEndpoint(String baseUrl, Optional<Secret> apiKey) {

    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final String API_KEY_ENV = "OPENAI_API_KEY";
    private static final String OPENAI_HOST = "api.openai.com";

    public OpenAiEndpoint {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(apiKey, "apiKey is null");
        HttpUrl url = HttpUrl.parse(baseUrl);
        if (url == null) {
            throw new IllegalArgumentException("baseUrl is not an http(s) URL: " + baseUrl);
        }
        if (apiKey.isEmpty() && url.host().equals(OPENAI_HOST)) {
            throw new IllegalArgumentException(baseUrl + " needs an API key (" + API_KEY_ENV + ")");
        }
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** OpenAI itself, with {@code apiKey}. */
    public static OpenAiEndpoint openai(Secret apiKey) {
        return new OpenAiEndpoint(DEFAULT_BASE_URL, Optional.of(requireNonNull(apiKey, "apiKey is null")));
    }

    /** A compatible server that takes no key. */
    public static OpenAiEndpoint keyless(String baseUrl) {
        return new OpenAiEndpoint(baseUrl, Optional.empty());
    }

    /** Reads {@code base_url} and {@code api_key} (else {@code OPENAI_API_KEY}). */
    public static OpenAiEndpoint from(ProviderConfig config) {
        requireNonNull(config, "config is null");
        String baseUrl = config.string("base_url", DEFAULT_BASE_URL);
        HttpUrl url = HttpUrl.parse(baseUrl);
        if (url == null) {
            throw new ConfigException(config.pathOf("base_url"), "expected an http or https URL but got \"" + baseUrl + "\"");
        }
        Optional<Secret> apiKey = url.host().equals(OPENAI_HOST)
                ? Optional.of(config.secret("api_key", API_KEY_ENV))
                : config.optionalSecret("api_key", API_KEY_ENV);
        return new OpenAiEndpoint(baseUrl, apiKey);
    }

    /** {@code {base_url}/path}. */
    public HttpUrl url(String path) {
        return HttpUrl.get(baseUrl + path);
    }

    /** The text with the key replaced by {@code ****}, for messages built from what a server sent back. */
    public String redact(String text) {
        return apiKey.filter(s -> !s.isEmpty()).map(s -> text.replace(s.reveal(), "****")).orElse(text);
    }

    @Override
    public String toString() {
        return "OpenAiEndpoint[" + baseUrl + (apiKey.isPresent() ? ", key ****" : ", no key") + "]";
    }
}
