package ai.piopiy.plugin.azure;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.Secret;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a Speech resource lives and its key, as both Azure providers take them: the Python SDK's
 * {@code api_key} and {@code region}, and an optional {@code endpoint} that replaces the regional URL
 * (a sovereign cloud, a proxy, or a local test server).
 *
 * @param apiKey the resource key, sent as {@code Ocp-Apim-Subscription-Key}
 * @param region the resource's region ({@code eastus}, {@code westeurope}); empty only with an endpoint
 * @param endpoint the full URL of the service to use instead of the regional one
 */
public record AzureSpeechAccount(Secret apiKey, String region, Optional<String> endpoint) {

    public static final String API_KEY_ENV = "AZURE_SPEECH_KEY";
    public static final String REGION_ENV = "AZURE_SPEECH_REGION";

    private static final Pattern REGION = Pattern.compile("[a-z0-9]+");
    private static final Pattern URL = Pattern.compile("(?i)(wss?|https?)://[^/?#\\s]+(/\\S*)?");

    public AzureSpeechAccount {
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(region, "region is null");
        requireNonNull(endpoint, "endpoint is null");
        if (apiKey.isEmpty()) {
            throw new IllegalArgumentException("apiKey is empty");
        }
        if (region.isEmpty() ? endpoint.isEmpty() : !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException(region.isEmpty() ? "a region or an endpoint is needed"
                    : "region must be an Azure region name such as eastus, got \"" + region + "\"");
        }
        endpoint.ifPresent(url -> {
            if (!URL.matcher(url).matches()) {
                throw new IllegalArgumentException("endpoint must be a ws://, wss://, http:// or https:// URL, got \"" + url + "\"");
            }
        });
    }

    /** The resource in {@code region}, reached at its regional URLs. */
    public static AzureSpeechAccount of(Secret apiKey, String region) {
        return new AzureSpeechAccount(apiKey, region, Optional.empty());
    }

    /** A service at {@code endpoint} instead of a region's. */
    public AzureSpeechAccount withEndpoint(String url) {
        return new AzureSpeechAccount(apiKey, region, Optional.of(url));
    }

    /** The endpoint when one is set, else {@code https://{region}.{host}{path}} in the scheme given. */
    String url(String scheme, String host, String path) {
        return endpoint.orElseGet(() -> scheme + "://" + region + "." + host + path);
    }

    /**
     * Reads {@code api_key} (else {@value #API_KEY_ENV}), {@code region} (else {@value #REGION_ENV}; not
     * needed with an endpoint) and {@code endpoint}.
     */
    public static AzureSpeechAccount from(ProviderConfig config) {
        requireNonNull(config, "config is null");
        Secret key = config.secret("api_key", API_KEY_ENV);
        Optional<String> endpoint = config.optionalString("endpoint").map(String::strip).filter(s -> !s.isEmpty());
        if (endpoint.isPresent() && !URL.matcher(endpoint.get()).matches()) {
            throw new ConfigException(config.pathOf("endpoint"),
                    "expected a ws://, wss://, http:// or https:// URL, got \"" + endpoint.get() + "\"");
        }
        String region = config.optionalString("region").map(String::strip).filter(s -> !s.isEmpty())
                .or(() -> Optional.ofNullable(config.environment().get(REGION_ENV)).map(String::strip).filter(s -> !s.isEmpty()))
                .orElse("");
        if (region.isEmpty() && endpoint.isEmpty()) {
            throw new ConfigException(config.pathOf("region"),
                    "missing; set it (for example \"eastus\") in the manifest or in the environment variable " + REGION_ENV);
        }
        if (!region.isEmpty() && !REGION.matcher(region).matches()) {
            throw new ConfigException(config.pathOf("region"),
                    "expected an Azure region name such as eastus or westeurope, got \"" + region + "\"");
        }
        return new AzureSpeechAccount(key, region, endpoint);
    }
}
