package ai.piopiy.plugin.azure;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Settings of {@link AzureSttService}: the Python SDK's {@code AzureSTTService(api_key, region,
 * language="en-US", endpoint_id=None)} plus the query options of the recognition WebSocket and the
 * client's own timing.
 *
 * <p>Build one from code with {@link #builder(AzureSpeechAccount)}; manifests go through
 * {@link AzureSttProviderFactory}.
 *
 * @param account key, region and optional endpoint override
 * @param language the recognition language, BCP-47 ({@code language} query parameter)
 * @param endpointId a Custom Speech model's endpoint id ({@code cid} query parameter), if any
 * @param detailed {@code format=detailed}: results carry a confidence (the n-best list) instead of the
 *     display text alone
 * @param segmentationSilenceMs {@code segmentationSilenceTimeoutMs}: the silence that ends a phrase;
 *     0 leaves the service's default
 * @param closeTimeout how long {@code close()} waits for the last results after the end of audio
 * @param reconnectAttempts reconnections tried in a row after the socket drops before the stream fails
 * @param reconnectBackoff the wait before the first reconnection, doubled for each further one
 * @param replayBuffer how much audio is kept for a new connection: what the service has not settled
 *     yet, and what arrives while (re)connecting; older audio is dropped
 * @param connectionLifetime when a connection is replaced by a fresh one, before the service's limit
 *     of 10 minutes per connection
 */
public record AzureSttConfig(
        AzureSpeechAccount account,
        String language,
        Optional<String> endpointId,
        boolean detailed,
        int segmentationSilenceMs,
        Duration closeTimeout,
        int reconnectAttempts,
        Duration reconnectBackoff,
        Duration replayBuffer,
        Duration connectionLifetime) {

    public static final String HOST = "stt.speech.microsoft.com";
    public static final String PATH = "/speech/recognition/conversation/cognitiveservices/v1";
    public static final String DEFAULT_LANGUAGE = "en-US";
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(3);
    public static final int DEFAULT_RECONNECT_ATTEMPTS = 3;
    public static final Duration DEFAULT_RECONNECT_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_REPLAY_BUFFER = Duration.ofSeconds(5);
    /** A minute inside the service's 10-minute limit, so the switch is never raced by the service's close. */
    public static final Duration DEFAULT_CONNECTION_LIFETIME = Duration.ofMinutes(9);
    public static final Duration MAX_CONNECTION_LIFETIME = Duration.ofMinutes(10);

    public AzureSttConfig {
        requireNonNull(account, "account is null");
        requireNonNull(language, "language is null");
        requireNonNull(endpointId, "endpointId is null");
        requireNonNull(closeTimeout, "closeTimeout is null");
        requireNonNull(reconnectBackoff, "reconnectBackoff is null");
        requireNonNull(replayBuffer, "replayBuffer is null");
        requireNonNull(connectionLifetime, "connectionLifetime is null");
        if (language.isBlank()) {
            throw new IllegalArgumentException("language is blank");
        }
        if (segmentationSilenceMs < 0 || reconnectAttempts < 0 || reconnectBackoff.isNegative()) {
            throw new IllegalArgumentException("segmentationSilenceMs, reconnectAttempts and reconnectBackoff must not be negative");
        }
        for (Duration d : List.of(closeTimeout, replayBuffer, connectionLifetime)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive, got " + d);
            }
        }
        if (connectionLifetime.compareTo(MAX_CONNECTION_LIFETIME) >= 0) {
            throw new IllegalArgumentException("connectionLifetime must be under the service's 10 minutes, got " + connectionLifetime);
        }
    }

    public static Builder builder(AzureSpeechAccount account) {
        return new Builder(account);
    }

    /** The recognition WebSocket's URL with its query; OkHttp spells {@code wss} as {@code https}. */
    public HttpUrl url() {
        String url = account.url("wss", HOST, PATH);
        HttpUrl.Builder builder = HttpUrl.get(url.replaceFirst("^(?i)ws", "http")).newBuilder()
                .setQueryParameter("language", language)
                .setQueryParameter("format", detailed ? "detailed" : "simple");
        endpointId.ifPresent(id -> builder.setQueryParameter("cid", id));
        if (segmentationSilenceMs > 0) {
            builder.setQueryParameter("segmentationSilenceTimeoutMs", Integer.toString(segmentationSilenceMs));
        }
        return builder.build();
    }

    /** Starts from the documented defaults. */
    public static final class Builder {
        private final AzureSpeechAccount account;
        private String language = DEFAULT_LANGUAGE;
        private Optional<String> endpointId = Optional.empty();
        private boolean detailed;
        private int segmentationSilenceMs;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private int reconnectAttempts = DEFAULT_RECONNECT_ATTEMPTS;
        private Duration reconnectBackoff = DEFAULT_RECONNECT_BACKOFF;
        private Duration replayBuffer = DEFAULT_REPLAY_BUFFER;
        private Duration connectionLifetime = DEFAULT_CONNECTION_LIFETIME;

        private Builder(AzureSpeechAccount account) {
            this.account = requireNonNull(account, "account is null");
        }

        public Builder language(String language) {
            this.language = language;
            return this;
        }

        public Builder endpointId(String endpointId) {
            this.endpointId = Optional.of(endpointId);
            return this;
        }

        public Builder detailed(boolean detailed) {
            this.detailed = detailed;
            return this;
        }

        public Builder segmentationSilenceMs(int segmentationSilenceMs) {
            this.segmentationSilenceMs = segmentationSilenceMs;
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

        public Builder replayBuffer(Duration replayBuffer) {
            this.replayBuffer = replayBuffer;
            return this;
        }

        public Builder connectionLifetime(Duration connectionLifetime) {
            this.connectionLifetime = connectionLifetime;
            return this;
        }

        public AzureSttConfig build() {
            return new AzureSttConfig(account, language, endpointId, detailed, segmentationSilenceMs, closeTimeout,
                    reconnectAttempts, reconnectBackoff, replayBuffer, connectionLifetime);
        }
    }
}
