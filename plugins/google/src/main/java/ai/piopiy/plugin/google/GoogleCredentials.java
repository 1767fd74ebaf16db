package ai.piopiy.plugin.google;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.provider.Secret;

/** The credential a Google service authenticates with. */
public sealed interface GoogleCredentials {

    /** The environment variable Google's client libraries read a key file's path from. */
    String ENV_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS";
    /** Where an API key is looked for, by the services that accept one. */
    String ENV_API_KEY = "GOOGLE_API_KEY";

    /**
     * A service-account key file's JSON: requests carry OAuth 2.0 access tokens made from it.
     *
     * @param json the key file's content; its {@link Secret#source()} names where it came from
     */
    record ServiceAccount(Secret json) implements GoogleCredentials {
        public ServiceAccount {
            requireNonNull(json, "json is null");
        }
    }

    /** An API key, sent as the {@code x-goog-api-key} header. */
    record ApiKey(Secret key) implements GoogleCredentials {
        public ApiKey {
            requireNonNull(key, "key is null");
        }
    }

    static GoogleCredentials serviceAccount(Secret json) {
        return new ServiceAccount(json);
    }

    static GoogleCredentials apiKey(Secret key) {
        return new ApiKey(key);
    }
}
