package ai.piopiy.plugin.google;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Settings of Google Cloud Speech-to-Text v1 streaming recognition ({@code StreamingRecognize} over
 * gRPC). The recognition settings and their defaults are the Python SDK's {@code GoogleSTTService}.
 *
 * @param credentials a service account (API keys do not work with gRPC streaming recognition)
 * @param endpoint {@code https://speech.googleapis.com}, or a regional one
 *     ({@code https://eu-speech.googleapis.com}); {@code http://host:port} for a local server
 * @param languages BCP-47 codes; the first is the primary language, the others are alternatives
 * @param model {@code latest_long} (the default), {@code latest_short}, {@code phone_call},
 *     {@code telephony}, {@code command_and_search}, {@code default}, ...
 * @param useEnhanced ask for the enhanced variant of the model (needed by {@code phone_call} for single utterances)
 * @param enableAutomaticPunctuation add punctuation
 * @param enableSpokenPunctuation replace spoken punctuation ("comma") with the mark
 * @param enableSpokenEmojis replace spoken emoji names with the emoji
 * @param profanityFilter mask profanities
 * @param interimResults report interim results
 * @param voiceActivityEvents ask for speech-activity events (reported as speech started / utterance end)
 * @param singleUtterance end recognition after one utterance; a new stream is opened for the next
 * @param streamLimit how long one stream is used before a fresh one replaces it (Google ends a
 *     stream at about five minutes); audio not yet settled by a final result is sent again
 * @param resendLimit the most audio kept to send again when a stream is replaced or reconnected
 * @param reconnectAttempts how many consecutive failed streams are retried before giving up
 * @param reconnectBackoff the wait before the first retry; it doubles with each further one
 * @param closeTimeout how long a closed stream waits for the server's last results before it is cancelled
 */
public record GoogleSttConfig(GoogleCredentials credentials, String endpoint, List<String> languages, String model,
        boolean useEnhanced, boolean enableAutomaticPunctuation, boolean enableSpokenPunctuation,
        boolean enableSpokenEmojis, boolean profanityFilter, boolean interimResults, boolean voiceActivityEvents,
        boolean singleUtterance, Duration streamLimit, Duration resendLimit, int reconnectAttempts,
        Duration reconnectBackoff, Duration closeTimeout) {

    public static final String DEFAULT_ENDPOINT = "https://speech.googleapis.com";
    public static final List<String> DEFAULT_LANGUAGES = List.of("en-US");
    public static final String DEFAULT_MODEL = "latest_long";
    /** What LiveKit and Pipecat use: well under Google's limit of about five minutes. */
    public static final Duration DEFAULT_STREAM_LIMIT = Duration.ofSeconds(240);
    public static final Duration DEFAULT_RESEND_LIMIT = Duration.ofSeconds(10);
    public static final int DEFAULT_RECONNECT_ATTEMPTS = 3;
    public static final Duration DEFAULT_RECONNECT_BACKOFF = Duration.ofMillis(250);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(3);

    public GoogleSttConfig {
        requireNonNull(credentials, "credentials is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(model, "model is null");
        requireNonNull(streamLimit, "streamLimit is null");
        requireNonNull(resendLimit, "resendLimit is null");
        requireNonNull(reconnectBackoff, "reconnectBackoff is null");
        requireNonNull(closeTimeout, "closeTimeout is null");
        languages = List.copyOf(requireNonNull(languages, "languages is null"));
        if (languages.isEmpty() || languages.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("languages must name at least one language, and no blank one");
        }
        if (!(credentials instanceof GoogleCredentials.ServiceAccount)) {
            throw new IllegalArgumentException("streaming recognition needs a service account; API keys are not accepted over gRPC");
        }
        if (streamLimit.isNegative() || streamLimit.isZero() || streamLimit.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("streamLimit must be within (0, 5 min], got " + streamLimit);
        }
        if (resendLimit.isNegative() || reconnectBackoff.isNegative() || closeTimeout.isNegative() || reconnectAttempts < 0) {
            throw new IllegalArgumentException("resendLimit, reconnectBackoff, closeTimeout and reconnectAttempts must not be negative");
        }
    }

    /** The Python SDK's defaults. */
    public static GoogleSttConfig defaults(GoogleCredentials credentials) {
        return new GoogleSttConfig(credentials, DEFAULT_ENDPOINT, DEFAULT_LANGUAGES, DEFAULT_MODEL, false, true, false,
                false, false, true, false, false, DEFAULT_STREAM_LIMIT, DEFAULT_RESEND_LIMIT, DEFAULT_RECONNECT_ATTEMPTS,
                DEFAULT_RECONNECT_BACKOFF, DEFAULT_CLOSE_TIMEOUT);
    }

    /** The endpoint of a Google Cloud location: {@code global} is the default host, others are regional. */
    public static String endpointOf(String location) {
        requireNonNull(location, "location is null");
        return location.equals("global") ? DEFAULT_ENDPOINT : "https://" + location + "-speech.googleapis.com";
    }

    public GoogleSttConfig withEndpoint(String newEndpoint) {
        return new GoogleSttConfig(credentials, newEndpoint, languages, model, useEnhanced, enableAutomaticPunctuation,
                enableSpokenPunctuation, enableSpokenEmojis, profanityFilter, interimResults, voiceActivityEvents,
                singleUtterance, streamLimit, resendLimit, reconnectAttempts, reconnectBackoff, closeTimeout);
    }

    public GoogleSttConfig withStreamLimit(Duration newLimit) {
        return new GoogleSttConfig(credentials, endpoint, languages, model, useEnhanced, enableAutomaticPunctuation,
                enableSpokenPunctuation, enableSpokenEmojis, profanityFilter, interimResults, voiceActivityEvents,
                singleUtterance, newLimit, resendLimit, reconnectAttempts, reconnectBackoff, closeTimeout);
    }

    public GoogleSttConfig withSingleUtterance(boolean newSingleUtterance) {
        return new GoogleSttConfig(credentials, endpoint, languages, model, useEnhanced, enableAutomaticPunctuation,
                enableSpokenPunctuation, enableSpokenEmojis, profanityFilter, interimResults, voiceActivityEvents,
                newSingleUtterance, streamLimit, resendLimit, reconnectAttempts, reconnectBackoff, closeTimeout);
    }

    public GoogleSttConfig withCloseTimeout(Duration newTimeout) {
        return new GoogleSttConfig(credentials, endpoint, languages, model, useEnhanced, enableAutomaticPunctuation,
                enableSpokenPunctuation, enableSpokenEmojis, profanityFilter, interimResults, voiceActivityEvents,
                singleUtterance, streamLimit, resendLimit, reconnectAttempts, reconnectBackoff, newTimeout);
    }

    public GoogleSttConfig withReconnect(int attempts, Duration backoff) {
        return new GoogleSttConfig(credentials, endpoint, languages, model, useEnhanced, enableAutomaticPunctuation,
                enableSpokenPunctuation, enableSpokenEmojis, profanityFilter, interimResults, voiceActivityEvents,
                singleUtterance, streamLimit, resendLimit, attempts, backoff, closeTimeout);
    }
}
