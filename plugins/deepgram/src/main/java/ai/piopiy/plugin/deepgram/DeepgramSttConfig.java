package ai.piopiy.plugin.deepgram;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.provider.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Settings of {@link DeepgramSttService}: the query parameters of Deepgram's live {@code /v1/listen}
 * endpoint plus the client's own timing. The first four mirror the Python SDK's
 * {@code DeepgramSTTService(api_key, model="nova-2", language="en-US", interim_results=True)}.
 *
 * <p>Build one from code with {@link #builder(Secret)}; manifests go through {@link DeepgramSttProviderFactory}.
 *
 * @param apiKey the key sent as {@code Authorization: Token <key>}
 * @param url the listen endpoint ({@code ws}, {@code wss}, {@code http} or {@code https}); the query is appended
 * @param model {@code model}
 * @param language {@code language}, BCP-47
 * @param interimResults {@code interim_results}
 * @param punctuate {@code punctuate}
 * @param smartFormat {@code smart_format}
 * @param endpointingMs {@code endpointing}: silence in ms before Deepgram marks speech final; 0 sends {@code false}
 * @param utteranceEndMs {@code utterance_end_ms}; 0 leaves it out (it needs interim results)
 * @param vadEvents {@code vad_events}, which makes Deepgram send {@code SpeechStarted}
 * @param params further query parameters passed as they are ({@code keyterm}, {@code diarize}, ...);
 *     a list value repeats the parameter
 * @param keepAliveInterval how long the socket may go without a frame before a {@code KeepAlive} is sent
 *     (Deepgram closes an idle stream after about 10 s)
 * @param connectTimeout limit for the TCP connect and for the WebSocket handshake
 * @param closeTimeout how long {@code close()} waits for the last results after {@code CloseStream}
 * @param reconnectAttempts reconnections tried in a row after the socket drops before the stream fails
 * @param reconnectBackoff the wait before the first reconnection, doubled for each further one
 * @param reconnectBuffer how much audio is kept while (re)connecting and replayed afterwards; older audio is dropped
 */
public record DeepgramSttConfig(
        Secret apiKey,
        String url,
        String model,
        String language,
        boolean interimResults,
        boolean punctuate,
        boolean smartFormat,
        int endpointingMs,
        int utteranceEndMs,
        boolean vadEvents,
        Map<String, List<String>> params,
        Duration keepAliveInterval,
        Duration connectTimeout,
        Duration closeTimeout,
        int reconnectAttempts,
        Duration reconnectBackoff,
        Duration reconnectBuffer) {

    public static final String DEFAULT_URL = "wss://api.deepgram.com/v1/listen";
    public static final String DEFAULT_MODEL = "nova-2";
    public static final String DEFAULT_LANGUAGE = "en-US";
    public static final int DEFAULT_ENDPOINTING_MS = 300;
    public static final int DEFAULT_UTTERANCE_END_MS = 1000;
    public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(3);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(3);
    public static final int DEFAULT_RECONNECT_ATTEMPTS = 3;
    public static final Duration DEFAULT_RECONNECT_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_RECONNECT_BUFFER = Duration.ofSeconds(5);

    /** Query parameters the client sets itself; {@link #params} may not override them. */
    public static final Set<String> RESERVED_PARAMS = Set.of("model", "language", "encoding", "sample_rate", "channels",
            "interim_results", "punctuate", "smart_format", "endpointing", "utterance_end_ms", "vad_events");

    public DeepgramSttConfig {
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(url, "url is null");
        requireNonNull(model, "model is null");
        requireNonNull(language, "language is null");
        requireNonNull(params, "params is null");
        requireNonNull(keepAliveInterval, "keepAliveInterval is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(closeTimeout, "closeTimeout is null");
        requireNonNull(reconnectBackoff, "reconnectBackoff is null");
        requireNonNull(reconnectBuffer, "reconnectBuffer is null");
        String scheme = URI.create(url).getScheme();
        if (scheme == null || !List.of("ws", "wss", "http", "https").contains(scheme.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("url must be a ws://, wss://, http:// or https:// URL, got " + url);
        }
        if (endpointingMs < 0 || utteranceEndMs < 0 || reconnectAttempts < 0) {
            throw new IllegalArgumentException("endpointingMs, utteranceEndMs and reconnectAttempts must not be negative");
        }
        if (utteranceEndMs > 0 && !interimResults) {
            throw new IllegalArgumentException("utterance_end_ms needs interim_results=true (Deepgram rejects it otherwise)");
        }
        for (Duration d : List.of(keepAliveInterval, connectTimeout, closeTimeout, reconnectBuffer)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive, got " + d);
            }
        }
        if (reconnectBackoff.isNegative()) {
            throw new IllegalArgumentException("reconnectBackoff must not be negative, got " + reconnectBackoff);
        }
        for (String key : params.keySet()) {
            if (RESERVED_PARAMS.contains(key)) {
                throw new IllegalArgumentException("params may not set '" + key + "': it has its own setting");
            }
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        params = Collections.unmodifiableMap(copy);
    }

    /** The defaults, with the given key. */
    public static Builder builder(Secret apiKey) {
        return new Builder(apiKey);
    }

    /** Starts from the documented defaults. */
    public static final class Builder {
        private final Secret apiKey;
        private String url = DEFAULT_URL;
        private String model = DEFAULT_MODEL;
        private String language = DEFAULT_LANGUAGE;
        private boolean interimResults = true;
        private boolean punctuate = true;
        private boolean smartFormat = true;
        private int endpointingMs = DEFAULT_ENDPOINTING_MS;
        private int utteranceEndMs = DEFAULT_UTTERANCE_END_MS;
        private boolean vadEvents = true;
        private Map<String, List<String>> params = Map.of();
        private Duration keepAliveInterval = DEFAULT_KEEP_ALIVE_INTERVAL;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private int reconnectAttempts = DEFAULT_RECONNECT_ATTEMPTS;
        private Duration reconnectBackoff = DEFAULT_RECONNECT_BACKOFF;
        private Duration reconnectBuffer = DEFAULT_RECONNECT_BUFFER;

        private Builder(Secret apiKey) {
            this.apiKey = requireNonNull(apiKey, "apiKey is null");
        }

        public Builder url(String url) {
            this.url = url;
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder language(String language) {
            this.language = language;
            return this;
        }

        /** Turning interim results off also drops {@code utterance_end_ms}, which depends on them. */
        public Builder interimResults(boolean interimResults) {
            this.interimResults = interimResults;
            if (!interimResults) {
                utteranceEndMs = 0;
            }
            return this;
        }

        public Builder punctuate(boolean punctuate) {
            this.punctuate = punctuate;
            return this;
        }

        public Builder smartFormat(boolean smartFormat) {
            this.smartFormat = smartFormat;
            return this;
        }

        public Builder endpointingMs(int endpointingMs) {
            this.endpointingMs = endpointingMs;
            return this;
        }

        public Builder utteranceEndMs(int utteranceEndMs) {
            this.utteranceEndMs = utteranceEndMs;
            return this;
        }

        public Builder vadEvents(boolean vadEvents) {
            this.vadEvents = vadEvents;
            return this;
        }

        public Builder params(Map<String, List<String>> params) {
            this.params = params;
            return this;
        }

        public Builder keepAliveInterval(Duration keepAliveInterval) {
            this.keepAliveInterval = keepAliveInterval;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        public Builder reconnectAttempts(int reconnectAttempts) {
            this.reconnectAttempts = reconnectAttempts;
            return this;
        }

        public Builder reconnectBackoff(Duration reconnectBackoff) {
            this.reconnectBackoff = reconnectBackoff;
            return this;
        }

        public Builder reconnectBuffer(Duration reconnectBuffer) {
            this.reconnectBuffer = reconnectBuffer;
            return this;
        }

        public DeepgramSttConfig build() {
            return new DeepgramSttConfig(apiKey, url, model, language, interimResults, punctuate, smartFormat,
                    endpointingMs, utteranceEndMs, vadEvents, params, keepAliveInterval, connectTimeout, closeTimeout,
                    reconnectAttempts, reconnectBackoff, reconnectBuffer);
        }
    }
}
