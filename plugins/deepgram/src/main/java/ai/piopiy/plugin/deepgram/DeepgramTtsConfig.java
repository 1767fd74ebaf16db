package ai.piopiy.plugin.deepgram;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.ttswebsocket.BaseUrls;
import ai.piopiy.spi.provider.Secret;
import java.util.Locale;
import java.util.Set;

/**
 * Settings of {@link DeepgramTtsService}, mirroring the Python SDK's {@code DeepgramTTSService(api_key,
 * voice="aura-2-helena-en", base_url="wss://api.deepgram.com", sample_rate=None, encoding="linear16",
 * mip_opt_out=None)} plus how often to flush.
 *
 * @param apiKey sent as {@code Authorization: Token <key>}, the same key as Deepgram's speech-to-text
 * @param baseUrl where the API lives; the socket is {@code baseUrl + "/v1/speak"}
 * @param voice the Aura model, sent as {@code model} ({@code aura-2-thalia-en}, {@code aura-asteria-en}, ...)
 * @param encoding {@code linear16} or {@code mulaw} on the wire; either way the session gets PCM16
 * @param sampleRate the rate asked of Deepgram; 0 picks the session's own rate when Deepgram offers it
 *     (else the next higher one) and resamples to the session's
 * @param mipOptOut {@code mip_opt_out=true}: opt out of Deepgram's Model Improvement Program (priced differently)
 * @param flushEachSentence send {@code Flush} after each sentence so its audio starts at once, within
 *     Deepgram's limit of 20 flushes a minute; when false (or near the limit) only the end of an answer is flushed
 */
public record DeepgramTtsConfig(
        Secret apiKey,
        String baseUrl,
        String voice,
        String encoding,
        int sampleRate,
        boolean mipOptOut,
        boolean flushEachSentence) {

    public static final String DEFAULT_BASE_URL = "wss://api.deepgram.com";
    public static final String DEFAULT_VOICE = "aura-2-helena-en";
    public static final String LINEAR16 = "linear16";
    public static final String MULAW = "mulaw";
    /** The {@code sample_rate} values of the streaming API, ascending, per encoding. */
    static final int[] LINEAR16_RATES = {8_000, 16_000, 24_000, 44_100, 48_000};
    static final int[] MULAW_RATES = {8_000, 16_000};

    public DeepgramTtsConfig {
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(voice, "voice is null");
        requireNonNull(encoding, "encoding is null");
        baseUrl = BaseUrls.normalize(baseUrl);
        encoding = encoding.toLowerCase(Locale.ROOT);
        if (voice.isBlank()) {
            throw new IllegalArgumentException("voice is blank");
        }
        if (!Set.of(LINEAR16, MULAW).contains(encoding)) {
            throw new IllegalArgumentException("encoding must be linear16 or mulaw, got " + encoding);
        }
        if (sampleRate != 0 && !offers(rates(encoding), sampleRate)) {
            throw new IllegalArgumentException("Deepgram offers " + encoding + " at " + describe(rates(encoding))
                    + " Hz, not " + sampleRate);
        }
    }

    /** The defaults with {@code apiKey}. */
    public static DeepgramTtsConfig of(Secret apiKey) {
        return new DeepgramTtsConfig(apiKey, DEFAULT_BASE_URL, DEFAULT_VOICE, LINEAR16, 0, false, true);
    }

    public DeepgramTtsConfig withBaseUrl(String baseUrl) {
        return new DeepgramTtsConfig(apiKey, baseUrl, voice, encoding, sampleRate, mipOptOut, flushEachSentence);
    }

    public DeepgramTtsConfig withVoice(String voice) {
        return new DeepgramTtsConfig(apiKey, baseUrl, voice, encoding, sampleRate, mipOptOut, flushEachSentence);
    }

    public DeepgramTtsConfig withEncoding(String encoding, int sampleRate) {
        return new DeepgramTtsConfig(apiKey, baseUrl, voice, encoding, sampleRate, mipOptOut, flushEachSentence);
    }

    public DeepgramTtsConfig withFlushEachSentence(boolean flushEachSentence) {
        return new DeepgramTtsConfig(apiKey, baseUrl, voice, encoding, sampleRate, mipOptOut, flushEachSentence);
    }

    /** The speak WebSocket's URL, without its query. */
    public String webSocketUrl() {
        return baseUrl + "/v1/speak";
    }

    /** The rates Deepgram offers for {@code encoding}, ascending. */
    public static int[] rates(String encoding) {
        return (MULAW.equals(encoding) ? MULAW_RATES : LINEAR16_RATES).clone();
    }

    static boolean offers(int[] rates, int rate) {
        for (int r : rates) {
            if (r == rate) {
                return true;
            }
        }
        return false;
    }

    static String describe(int[] rates) {
        StringBuilder sb = new StringBuilder();
        for (int r : rates) {
            sb.append(sb.isEmpty() ? "" : ", ").append(r);
        }
        return sb.toString();
    }
}
