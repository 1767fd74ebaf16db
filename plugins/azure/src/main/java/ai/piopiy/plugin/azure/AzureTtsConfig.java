package ai.piopiy.plugin.azure;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of {@link AzureTtsService}: the Python SDK's {@code AzureTTSService(api_key, region,
 * voice="en-US-SaraNeural")} with its {@code language} and speech rate ({@code speed}, as the SDK's other
 * TTS services name it), plus how long the client waits for the server.
 *
 * @param account key, region and optional endpoint override
 * @param voice the voice's short name ({@code en-US-SaraNeural}, {@code de-DE-KatjaNeural}, ...)
 * @param language the SSML {@code xml:lang}
 * @param speed the speech rate as a multiplier, 0.5 to 2.0, spoken as SSML {@code prosody rate}; 1.0 adds no prosody
 * @param timeout the longest silence tolerated from the server while audio is expected
 */
public record AzureTtsConfig(AzureSpeechAccount account, String voice, String language, double speed, Duration timeout) {

    public static final String HOST = "tts.speech.microsoft.com";
    public static final String PATH = "/cognitiveservices/v1";
    public static final String DEFAULT_VOICE = "en-US-SaraNeural";
    public static final String DEFAULT_LANGUAGE = "en-US";
    public static final double DEFAULT_SPEED = 1.0;
    public static final double MIN_SPEED = 0.5;
    public static final double MAX_SPEED = 2.0;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public AzureTtsConfig {
        requireNonNull(account, "account is null");
        requireNonNull(voice, "voice is null");
        requireNonNull(language, "language is null");
        requireNonNull(timeout, "timeout is null");
        if (voice.isBlank() || language.isBlank()) {
            throw new IllegalArgumentException("voice and language must not be blank");
        }
        if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
            throw new IllegalArgumentException("speed must be within " + MIN_SPEED + ".." + MAX_SPEED + ", got " + speed);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout is not positive: " + timeout);
        }
    }

    /** The defaults for {@code account}. */
    public static AzureTtsConfig of(AzureSpeechAccount account) {
        return new AzureTtsConfig(account, DEFAULT_VOICE, DEFAULT_LANGUAGE, DEFAULT_SPEED, DEFAULT_TIMEOUT);
    }

    public AzureTtsConfig withVoice(String newVoice) {
        return new AzureTtsConfig(account, newVoice, language, speed, timeout);
    }

    public AzureTtsConfig withLanguage(String newLanguage) {
        return new AzureTtsConfig(account, voice, newLanguage, speed, timeout);
    }

    public AzureTtsConfig withSpeed(double newSpeed) {
        return new AzureTtsConfig(account, voice, language, newSpeed, timeout);
    }

    /** The synthesis endpoint: the account's endpoint, else {@code https://{region}.tts.speech.microsoft.com/cognitiveservices/v1}. */
    public String url() {
        return account.url("https", HOST, PATH);
    }
}
