package ai.piopiy.plugin.deepgram.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.deepgram.DeepgramSttConfig;
import ai.piopiy.plugin.ttswebsocket.ReconnectingSttStream;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okio.ByteString;

/**
 * One call's Deepgram live stream: a WebSocket to {@code /v1/listen} that is reopened when it drops (the
 * reconnection itself is {@link ReconnectingSttStream}'s). While no audio flows a {@code KeepAlive} keeps
 * Deepgram from closing the idle stream; the VAD's stop sends {@code Finalize}.
 */
public final class DeepgramSttStream extends ReconnectingSttStream {

    static final String KEEP_ALIVE = "{\"type\":\"KeepAlive\"}";
    static final String FINALIZE = "{\"type\":\"Finalize\"}";
    static final String CLOSE_STREAM = "{\"type\":\"CloseStream\"}";

    /** Made on first use (a call or {@link #prewarm()}): an ObjectMapper costs tens of milliseconds to create. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final DeepgramSttConfig config;
    private final String service;
    // guarded by lock
    private boolean finalizeOnOpen;
    private long lastSentNanos;
    private ScheduledFuture<?> keepAlive;

    public DeepgramSttStream(DeepgramSttConfig config, ServiceResources resources, ScheduledExecutorService scheduler,
            Request request, SttStreamSpec spec, SttListener listener) {
        super(resources, scheduler, new Limits(config.closeTimeout(), config.reconnectAttempts(), config.reconnectBackoff(),
                config.reconnectBuffer()), request, spec, listener);
        this.config = config;
        this.service = resources.service();
    }

    /**
     * Creates the JSON mapper and reads one message with it, so that the first call's first transcript does
     * not wait for Jackson to set up its tree reading.
     */
    public static void prewarm() {
        try {
            Json.MAPPER.readTree("{\"type\":\"Results\",\"is_final\":false,\"channel\":{\"alternatives\":[]}}");
        } catch (JacksonException e) {
            throw new IllegalStateException("a constant message did not parse", e);
        }
    }

    @Override
    public void sendAudio(byte[] pcm, int offset, int length) {
        requireNonNull(pcm, "pcm is null");
        if (length == 0) {
            return; // Deepgram may close a stream on an empty binary frame
        }
        synchronized (lock) {
            if (closingOrDone()) {
                return;
            }
            sendAudioFrame(ByteString.of(pcm, offset, length));
            lastSentNanos = resources.clock().getAsLong();
        }
    }

    @Override
    public void userStoppedSpeaking() {
        synchronized (lock) {
            if (closingOrDone()) {
                return;
            }
            markSpeechStopped();
            // Finalize makes Deepgram flush what it holds now instead of waiting for its own endpointing
            if (sendIfOpen(FINALIZE)) {
                lastSentNanos = resources.clock().getAsLong();
            } else {
                finalizeOnOpen = true;
            }
        }
    }

    // ---- hooks (under lock unless said otherwise)

    @Override
    protected String closeMessage() {
        return CLOSE_STREAM;
    }

    @Override
    protected void connected(WebSocket ws) {
        if (finalizeOnOpen) {
            finalizeOnOpen = false;
            ws.send(FINALIZE);
        }
        lastSentNanos = resources.clock().getAsLong();
        if (!closingOrDone()) {
            long tick = Math.max(10, config.keepAliveInterval().toMillis() / 2);
            keepAlive = scheduler.scheduleAtFixedRate(this::keepAliveTick, tick, tick, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void closing() {
        stopKeepAlive();
    }

    @Override
    protected void disconnected() {
        stopKeepAlive();
    }

    private void stopKeepAlive() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
            keepAlive = null;
        }
    }

    private void keepAliveTick() {
        synchronized (lock) {
            long now = resources.clock().getAsLong();
            if (now - lastSentNanos >= config.keepAliveInterval().toNanos() && sendIfOpen(KEEP_ALIVE)) {
                lastSentNanos = now;
            }
        }
    }

    @Override
    protected ServiceException refusal(String reason, int closeCode, int status) {
        if (status == 401 || status == 403) {
            return new ServiceException(service, "Deepgram rejected the API key from " + config.apiKey().source()
                    + "; " + reason, true, null);
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return new ServiceException(service, "Deepgram refused the stream; " + reason
                    + "; check the model, language and params settings", true, null);
        }
        return null;
    }

    @Override
    protected String failure(Throwable t, Response response) {
        return response != null ? handshakeError(response) : t.toString();
    }

    @Override
    protected String describeUpgrade(Response response) {
        return " (request id " + response.header("dg-request-id") + ")";
    }

    // ---- server messages (not under lock)

    @Override
    protected void onText(WebSocket ws, String text) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            emit(ws, l -> l.onError(new ServiceException(service,
                    "could not parse a message from Deepgram (" + e.getOriginalMessage() + "): " + excerpt(text), e)));
            return;
        }
        String type = message.path("type").asText("");
        switch (type) {
            case "Results" -> onResults(ws, message);
            case "SpeechStarted" -> emit(ws, SttListener::onSpeechStarted);
            case "UtteranceEnd" -> emit(ws, SttListener::onUtteranceEnd);
            case "Metadata" -> onMetadata(ws, message);
            // the v3 SDKs knew an Error message; current docs only close the socket, but take it if it comes
            case "Error" -> emit(ws, l -> l.onError(new ServiceException(service, "Deepgram reported an error: "
                    + message.path("description").asText(message.path("message").asText(excerpt(text))))));
            case "" -> emit(ws, l -> l.onError(new ServiceException(service,
                    "a message from Deepgram has no type: " + excerpt(text))));
            default -> log.debug("Deepgram stream of call {}: ignoring a {} message", callId, type);
        }
    }

    private void onResults(WebSocket ws, JsonNode message) {
        JsonNode alternative = message.path("channel").path("alternatives").path(0);
        String text = alternative.path("transcript").asText("");
        if (text.isBlank()) {
            return; // with interim results Deepgram sends an empty one about every second of silence
        }
        boolean isFinal = message.path("is_final").asBoolean(false);
        String language = alternative.path("languages").path(0).asText(config.language());
        Transcript transcript = new Transcript(text, isFinal, language, alternative.path("confidence").asDouble(Double.NaN));
        if (isFinal) {
            finalArrived();
            // the SPI's Transcript has no endpoint flag: speech_final only shows in the debug log
            log.debug("Deepgram final of call {} (speech_final={}, from_finalize={})", callId,
                    message.path("speech_final").asBoolean(false), message.path("from_finalize").asBoolean(false));
        }
        emit(ws, l -> l.onTranscript(transcript));
    }

    private void onMetadata(WebSocket ws, JsonNode message) {
        log.debug("Deepgram metadata of call {}: request_id={}, duration={}", callId,
                message.path("request_id").asText(), message.path("duration").asText());
        // after CloseStream, Metadata is the last message: every result has been delivered
        endedByProvider(ws);
    }

    private static String excerpt(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }

    /** Why an upgrade failed: Deepgram's {@code dg-error} header, or else the error body it says carries the same text. */
    private String handshakeError(Response response) {
        String error = response.header("dg-error");
        if (error == null) {
            error = bodyError(response);
        }
        String requestId = response.header("dg-request-id");
        return "HTTP " + response.code() + (error == null ? "" : ": " + error)
                + (requestId == null ? "" : " (request id " + requestId + ")");
    }

    private String bodyError(Response response) {
        String body;
        try {
            body = response.peekBody(4096).string().strip();
        } catch (IOException | IllegalStateException e) {
            return null;
        }
        if (body.isEmpty()) {
            return null;
        }
        try {
            // {"err_code":"INVALID_AUTH","err_msg":"Invalid credentials.","request_id":"..."}, as for REST errors
            JsonNode error = Json.MAPPER.readTree(body);
            if (error.hasNonNull("err_msg")) {
                return error.path("err_code").asText("error") + ": " + error.get("err_msg").asText();
            }
        } catch (JacksonException e) {
            // not JSON: the text itself is the best we have
        }
        return excerpt(body);
    }
}
