package ai.piopiy.plugin.assemblyai;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.ttswebsocket.BaseUrls;
import ai.piopiy.spi.provider.Secret;
import java.time.Duration;
import java.util.List;

/**
 * Settings of {@link AssemblyAiSttService}: the query parameters of AssemblyAI's Universal Streaming v3
 * WebSocket plus the client's own timing. The defaults follow the Python SDK's
 * {@code AssemblyAISTTService} (formatted finals, English streaming model, the VAD forcing the end of a turn)
 * and AssemblyAI's documented "balanced" turn detection.
 *
 * @param apiKey sent raw in the {@code Authorization} header (no {@code Bearer})
 * @param url the streaming endpoint; the query is appended ({@code wss://streaming.eu.assemblyai.com/v3/ws} in the EU)
 * @param speechModel {@code speech_model}, which the 2026 API requires
 * @param formatTurns {@code format_turns}: punctuated, cased finals
 * @param endOfTurnConfidenceThreshold {@code end_of_turn_confidence_threshold}, 0..1
 * @param minTurnSilenceMs {@code min_turn_silence}: silence before a confident end of turn
 * @param maxTurnSilenceMs {@code max_turn_silence}: silence that ends a turn whatever the confidence
 * @param keytermsPrompt {@code keyterms_prompt}: words to favour (names, products); empty leaves it out
 * @param forceEndpointOnStop send {@code ForceEndpoint} when the VAD hears the caller stop, so the final
 *     comes without waiting for AssemblyAI's own turn detection
 * @param apiVersion the {@code AssemblyAI-Version} header the protocol below was written against
 * @param chunkMs how much audio one binary frame carries; AssemblyAI takes 50..1000 ms and recommends 50
 * @param closeTimeout how long {@code close()} waits for {@code Termination} after {@code Terminate}
 * @param reconnectAttempts reconnections tried in a row after the socket drops before the stream fails
 * @param reconnectBackoff the wait before the first reconnection, doubled for each further one
 * @param reconnectBuffer how much audio is kept while (re)connecting; AssemblyAI refuses audio faster than
 *     real time, so this stays short
 */
public record AssemblyAiSttConfig(
        Secret apiKey,
        String url,
        String speechModel,
        boolean formatTurns,
        double endOfTurnConfidenceThreshold,
        int minTurnSilenceMs,
        int maxTurnSilenceMs,
        List<String> keytermsPrompt,
        boolean forceEndpointOnStop,
        String apiVersion,
        int chunkMs,
        Duration closeTimeout,
        int reconnectAttempts,
        Duration reconnectBackoff,
        Duration reconnectBuffer) {

    public static final String DEFAULT_URL = "wss://streaming.assemblyai.com/v3/ws";
    public static final String DEFAULT_SPEECH_MODEL = "universal-streaming-english";
    public static final double DEFAULT_END_OF_TURN_CONFIDENCE_THRESHOLD = 0.4;
    public static final int DEFAULT_MIN_TURN_SILENCE_MS = 400;
    public static final int DEFAULT_MAX_TURN_SILENCE_MS = 1280;
    public static final String DEFAULT_API_VERSION = "2025-05-12";
    public static final int DEFAULT_CHUNK_MS = 50;
    /** The frame lengths AssemblyAI accepts; others close the session with 3007. */
    public static final int MIN_CHUNK_MS = 50;
    public static final int MAX_CHUNK_MS = 1000;
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(3);
    public static final int DEFAULT_RECONNECT_ATTEMPTS = 3;
    public static final Duration DEFAULT_RECONNECT_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_RECONNECT_BUFFER = Duration.ofSeconds(1);

    public AssemblyAiSttConfig {
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(url, "url is null");
        requireNonNull(speechModel, "speechModel is null");
        requireNonNull(keytermsPrompt, "keytermsPrompt is null");
        requireNonNull(apiVersion, "apiVersion is null");
        requireNonNull(closeTimeout, "closeTimeout is null");
        requireNonNull(reconnectBackoff, "reconnectBackoff is null");
        requireNonNull(reconnectBuffer, "reconnectBuffer is null");
        url = BaseUrls.normalize(url);
        keytermsPrompt = List.copyOf(keytermsPrompt);
        if (speechModel.isBlank()) {
            throw new IllegalArgumentException("speechModel is blank");
        }
        if (!(endOfTurnConfidenceThreshold >= 0 && endOfTurnConfidenceThreshold <= 1)) {
            throw new IllegalArgumentException("endOfTurnConfidenceThreshold must be within 0..1, got " + endOfTurnConfidenceThreshold);
        }
        if (minTurnSilenceMs < 0 || maxTurnSilenceMs < minTurnSilenceMs) {
            throw new IllegalArgumentException("expected 0 <= minTurnSilenceMs <= maxTurnSilenceMs, got "
                    + minTurnSilenceMs + " and " + maxTurnSilenceMs);
        }
        if (chunkMs < MIN_CHUNK_MS || chunkMs > MAX_CHUNK_MS) {
            throw new IllegalArgumentException("chunkMs must be within " + MIN_CHUNK_MS + ".." + MAX_CHUNK_MS + ", got " + chunkMs);
        }
        if (reconnectAttempts < 0) {
            throw new IllegalArgumentException("reconnectAttempts must not be negative, got " + reconnectAttempts);
        }
        for (Duration d : List.of(closeTimeout, reconnectBuffer)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive, got " + d);
            }
        }
        if (reconnectBackoff.isNegative()) {
            throw new IllegalArgumentException("reconnectBackoff must not be negative, got " + reconnectBackoff);
        }
    }

    /** The defaults with {@code apiKey}. */
    public static AssemblyAiSttConfig of(Secret apiKey) {
        return new AssemblyAiSttConfig(apiKey, DEFAULT_URL, DEFAULT_SPEECH_MODEL, true,
                DEFAULT_END_OF_TURN_CONFIDENCE_THRESHOLD, DEFAULT_MIN_TURN_SILENCE_MS, DEFAULT_MAX_TURN_SILENCE_MS,
                List.of(), true, DEFAULT_API_VERSION, DEFAULT_CHUNK_MS, DEFAULT_CLOSE_TIMEOUT,
                DEFAULT_RECONNECT_ATTEMPTS, DEFAULT_RECONNECT_BACKOFF, DEFAULT_RECONNECT_BUFFER);
    }

    public AssemblyAiSttConfig withUrl(String url) {
        return new AssemblyAiSttConfig(apiKey, url, speechModel, formatTurns, endOfTurnConfidenceThreshold,
                minTurnSilenceMs, maxTurnSilenceMs, keytermsPrompt, forceEndpointOnStop, apiVersion, chunkMs,
                closeTimeout, reconnectAttempts, reconnectBackoff, reconnectBuffer);
    }

    public AssemblyAiSttConfig withSpeechModel(String speechModel) {
        return new AssemblyAiSttConfig(apiKey, url, speechModel, formatTurns, endOfTurnConfidenceThreshold,
                minTurnSilenceMs, maxTurnSilenceMs, keytermsPrompt, forceEndpointOnStop, apiVersion, chunkMs,
                closeTimeout, reconnectAttempts, reconnectBackoff, reconnectBuffer);
    }

    public AssemblyAiSttConfig withFormatTurns(boolean formatTurns) {
        return new AssemblyAiSttConfig(apiKey, url, speechModel, formatTurns, endOfTurnConfidenceThreshold,
                minTurnSilenceMs, maxTurnSilenceMs, keytermsPrompt, forceEndpointOnStop, apiVersion, chunkMs,
                closeTimeout, reconnectAttempts, reconnectBackoff, reconnectBuffer);
    }

    public AssemblyAiSttConfig withKeytermsPrompt(List<String> keytermsPrompt) {
        return new AssemblyAiSttConfig(apiKey, url, speechModel, formatTurns, endOfTurnConfidenceThreshold,
                minTurnSilenceMs, maxTurnSilenceMs, keytermsPrompt, forceEndpointOnStop, apiVersion, chunkMs,
                closeTimeout, reconnectAttempts, reconnectBackoff, reconnectBuffer);
    }

    public AssemblyAiSttConfig withReconnect(int reconnectAttempts, Duration reconnectBackoff) {
        return new AssemblyAiSttConfig(apiKey, url, speechModel, formatTurns, endOfTurnConfidenceThreshold,
                minTurnSilenceMs, maxTurnSilenceMs, keytermsPrompt, forceEndpointOnStop, apiVersion, chunkMs,
                closeTimeout, reconnectAttempts, reconnectBackoff, reconnectBuffer);
    }
}
