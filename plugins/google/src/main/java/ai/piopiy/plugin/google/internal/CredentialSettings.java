package ai.piopiy.plugin.google.internal;

import ai.piopiy.plugin.google.GoogleCredentials;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.Secret;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Google service's credential from a manifest, in the order Google's own libraries look:
 * {@code credentials} (the key file's JSON inline, as a string or as the object), {@code credentials_path}, then (for services that
 * take one) {@code api_key}, then the file named by {@code GOOGLE_APPLICATION_CREDENTIALS}, then
 * {@code GOOGLE_API_KEY}. A key file is checked here, so a broken one fails at startup.
 */
public final class CredentialSettings {

    public static final Set<String> SECRET_KEYS = Set.of("credentials", "api_key");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CredentialSettings() {}

    public static GoogleCredentials read(ProviderConfig config, boolean acceptsApiKey) {
        Optional<Secret> inline = inline(config);
        Optional<String> path = config.optionalString("credentials_path");
        Optional<Secret> apiKey = acceptsApiKey ? config.optionalSecret("api_key", null) : Optional.empty();
        if (inline.isPresent()) {
            return checked(inline.get(), config.pathOf("credentials"), "the inline credentials");
        }
        if (path.isPresent()) {
            return file(path.get(), config.pathOf("credentials_path"), "the credentials file " + path.get());
        }
        if (apiKey.isPresent()) {
            return GoogleCredentials.apiKey(apiKey.get());
        }
        String fromEnvironment = config.environment().get(GoogleCredentials.ENV_CREDENTIALS);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return file(fromEnvironment.strip(), config.pathOf("credentials"), "the file named by "
                    + GoogleCredentials.ENV_CREDENTIALS + " (" + fromEnvironment.strip() + ")");
        }
        if (acceptsApiKey) {
            Optional<Secret> envKey = config.optionalSecret("api_key", GoogleCredentials.ENV_API_KEY);
            if (envKey.isPresent()) {
                return GoogleCredentials.apiKey(envKey.get());
            }
        }
        throw new ConfigException(config.pathOf("credentials"), "missing; set credentials (a service-account key's JSON) or"
                + " credentials_path in the manifest, or the environment variable " + GoogleCredentials.ENV_CREDENTIALS
                + " to the path of a service-account key file"
                + (acceptsApiKey ? ", or api_key / the environment variable " + GoogleCredentials.ENV_API_KEY : ""));
    }

    /** The key file's JSON as a string, or as the JSON object itself (a manifest can nest it). */
    private static Optional<Secret> inline(ProviderConfig config) {
        if (config.raw("credentials").orElse(null) instanceof Map<?, ?> object) {
            try {
                return Optional.of(Secret.of(MAPPER.writeValueAsString(object), config.pathOf("credentials")));
            } catch (JsonProcessingException e) {
                throw new ConfigException(config.pathOf("credentials"), "cannot be written back as JSON");
            }
        }
        return config.optionalSecret("credentials", null);
    }

    private static GoogleCredentials file(String file, String settingPath, String what) {
        String json;
        try {
            json = Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(settingPath, what + " does not exist");
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(settingPath, what + " cannot be read: " + e.getClass().getSimpleName());
        }
        return checked(Secret.of(json, settingPath), settingPath, what);
    }

    private static GoogleCredentials checked(Secret json, String settingPath, String what) {
        try {
            ServiceAccountKey.parse(json.reveal());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(settingPath, what + " " + e.getMessage());
        }
        return GoogleCredentials.serviceAccount(json);
    }
}
