package ai.piopiy.plugin.google;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of Google Cloud Text-to-Speech: the gRPC {@code StreamingSynthesize} method for Chirp 3 HD
 * voices, else the REST {@code text:synthesize} method, one request per sentence; either way PCM at
 * the call's output rate. Voice and defaults are the Python SDK's {@code GoogleTTSService}.
 *
 * @param credentials a service account, or an API key
 * @param endpoint {@code https://texttospeech.googleapis.com}, or a regional one
 *     ({@code https://eu-texttospeech.googleapis.com}); {@code http://host:port} for a local server
 * @param voiceId the voice's name, e.g. {@code en-US-Chirp3-HD-Charon} (the default) or {@code en-US-Neural2-F}
 * @param language the voice's BCP-47 language code
 * @param speakingRate 0.25 to 2.0; 1.0 is the voice's normal speed
 * @param pitch semitones, -20 to 20; 0 leaves it out of the request (Chirp 3 HD voices refuse any pitch)
 * @param volumeGainDb -96 to 16 dB; 0 leaves it out of the request
 * @param timeout the longest one REST request may take, audio included
 * @param streaming speak through {@code StreamingSynthesize} (only Chirp 3 HD voices support it), which
 *     starts audio as soon as the first text arrives, instead of one REST request per sentence
 */
public record GoogleTtsConfig(GoogleCredentials credentials, String endpoint, String voiceId, String language,
        double speakingRate, double pitch, double volumeGainDb, Duration timeout, boolean streaming) {

    public static final String DEFAULT_ENDPOINT = "https://texttospeech.googleapis.com";
    public static final String DEFAULT_VOICE = "en-US-Chirp3-HD-Charon";
    public static final String DEFAULT_LANGUAGE = "en-US";
    public static final double DEFAULT_SPEAKING_RATE = 1.0;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public GoogleTtsConfig {
        requireNonNull(credentials, "credentials is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(voiceId, "voiceId is null");
        requireNonNull(language, "language is null");
        requireNonNull(timeout, "timeout is null");
        if (voiceId.isBlank() || language.isBlank()) {
            throw new IllegalArgumentException("voiceId and language must not be blank");
        }
        if (!(speakingRate >= 0.25 && speakingRate <= 2.0)) {
            throw new IllegalArgumentException("speakingRate must be within 0.25..2.0, got " + speakingRate);
        }
        if (!(pitch >= -20 && pitch <= 20)) {
            throw new IllegalArgumentException("pitch must be within -20..20 semitones, got " + pitch);
        }
        if (!(volumeGainDb >= -96 && volumeGainDb <= 16)) {
            throw new IllegalArgumentException("volumeGainDb must be within -96..16 dB, got " + volumeGainDb);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (streaming && (pitch != 0 || volumeGainDb != 0)) {
            throw new IllegalArgumentException("pitch and volumeGainDb are not available with streaming synthesis");
        }
        if (!endpoint.startsWith("https://") && !endpoint.startsWith("http://")) {
            throw new IllegalArgumentException("endpoint must be an http(s) URL, got " + endpoint);
        }
    }

    public static GoogleTtsConfig defaults(GoogleCredentials credentials) {
        return new GoogleTtsConfig(credentials, DEFAULT_ENDPOINT, DEFAULT_VOICE, DEFAULT_LANGUAGE, DEFAULT_SPEAKING_RATE, 0, 0,
                DEFAULT_TIMEOUT, streams(DEFAULT_VOICE));
    }

    /** Whether {@code voiceId} can speak through {@code StreamingSynthesize}: Chirp 3 HD voices only. */
    public static boolean streams(String voiceId) {
        return voiceId.contains("Chirp3-HD");
    }

    /** The endpoint of a Google Cloud location: {@code global} is the default host, others are regional. */
    public static String endpointOf(String location) {
        requireNonNull(location, "location is null");
        return location.equals("global") ? DEFAULT_ENDPOINT : "https://" + location + "-texttospeech.googleapis.com";
    }

    public GoogleTtsConfig withEndpoint(String newEndpoint) {
        return new GoogleTtsConfig(credentials, newEndpoint, voiceId, language, speakingRate, pitch, volumeGainDb, timeout, streaming);
    }

    /** Another voice; streaming when the voice supports it. */
    public GoogleTtsConfig withVoice(String newVoiceId, String newLanguage) {
        return new GoogleTtsConfig(credentials, endpoint, newVoiceId, newLanguage, speakingRate, pitch, volumeGainDb, timeout,
                streams(newVoiceId));
    }

    public GoogleTtsConfig withStreaming(boolean newStreaming) {
        return new GoogleTtsConfig(credentials, endpoint, voiceId, language, speakingRate, pitch, volumeGainDb, timeout, newStreaming);
    }
}
