package ai.piopiy.plugin.deepgram.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.deepgram.DeepgramSttConfig;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.slf4j.Logger;

/**
 * One call's Deepgram live stream: a WebSocket to {@code /v1/listen} that is reopened when it drops.
 *
 * <p>Threads: the pipeline calls {@code sendAudio} and friends; OkHttp calls back on one reader thread per
 * socket; timers run on the host scheduler. State is guarded by {@code lock}; listener calls are made under
 * {@code emitLock} (taken before {@code lock}, never after) so that the listener sees one call at a time
 * across reconnections, and nothing after the stream finished. Callbacks of a socket that is no longer the
 * current one are ignored.
 */
public final class DeepgramSttStream implements SttStream {

    static final String KEEP_ALIVE = "{\"type\":\"KeepAlive\"}";
    static final String FINALIZE = "{\"type\":\"Finalize\"}";
    static final String CLOSE_STREAM = "{\"type\":\"CloseStream\"}";

    private static final String SERVICE = "deepgram";
    private static final long NONE = Long.MIN_VALUE;
    /** A connection that lived this long (or delivered a message) worked; its drop starts a fresh count of attempts. */
    private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final DeepgramSttConfig config;
    private final ProviderContext context;
    private final OkHttpClient client;
    private final ObjectMapper json;
    private final Request request;
    private final SttListener listener;
    private final Logger log;
    private final String callId;
    private final AudioFormat format;
    private final int bufferLimitBytes;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private final Object emitLock = new Object();
    private final Object lock = new Object();
    // everything below is guarded by lock
    private WebSocket socket; // connecting or open; null while waiting to reconnect and once finished
    private boolean open;
    private long openedAtNanos;
    private boolean heardFromServer;
    private int failedAttempts;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private int pendingBytes;
    private boolean droppingPending;
    private boolean finalizeOnOpen;
    private long lastSentNanos;
    private long speechStoppedNanos = NONE;
    private boolean closing;
    private boolean done;
    private ScheduledFuture<?> keepAlive;
    private ScheduledFuture<?> reconnect;
    private ScheduledFuture<?> closeDeadline;

    public DeepgramSttStream(DeepgramSttConfig config, ProviderContext context, OkHttpClient client, ObjectMapper json,
            SttStreamSpec spec, SttListener listener) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.client = requireNonNull(client, "client is null");
        this.json = requireNonNull(json, "json is null");
        this.listener = requireNonNull(listener, "listener is null");
        requireNonNull(spec, "spec is null");
        this.callId = spec.callId();
        this.format = spec.format();
        this.log = context.logger();
        this.request = ListenRequest.of(config, format.sampleRate());
        this.bufferLimitBytes = format.bytesPer((int) Math.min(Integer.MAX_VALUE, config.reconnectBuffer().toMillis()));
    }

    /** Opens the first connection; audio sent before it is up waits in the reconnect buffer. */
    public void start() {
        synchronized (lock) {
            connect();
        }
    }

    /** Completes once the stream let go of its connection, after a close, a cancel or a fatal error. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public void sendAudio(byte[] pcm, int offset, int length) {
        requireNonNull(pcm, "pcm is null");
        if (length == 0) {
            return; // Deepgram may close a stream on an empty binary frame
        }
        synchronized (lock) {
            if (closing || done) {
                return;
            }
            if (open && socket.send(ByteString.of(pcm, offset, length))) {
                lastSentNanos = context.nanoTime();
                return;
            }
            buffer(Arrays.copyOfRange(pcm, offset, offset + length));
        }
    }

    @Override
    public void userStoppedSpeaking() {
        synchronized (lock) {
            if (closing || done) {
                return;
            }
            speechStoppedNanos = context.nanoTime();
            // Finalize makes Deepgram flush what it holds now instead of waiting for its own endpointing
            if (open && socket.send(FINALIZE)) {
                lastSentNanos = speechStoppedNanos;
            } else {
                finalizeOnOpen = true;
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closing || done) {
                return;
            }
            closing = true;
            cancel(keepAlive);
            closeDeadline = context.scheduler().schedule(this::closeDeadlinePassed,
                    config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (open) {
                socket.send(CLOSE_STREAM);
            } else if (socket == null) {
                // waiting to reconnect: there is no connection to flush through
                log.debug("Deepgram stream of call {} closed while reconnecting; {} buffered bytes dropped",
                        callId, pendingBytes);
                finish();
            }
            // else a connection is being opened: onOpen replays the buffer and sends CloseStream
        }
    }

    /** Drops the connection at once, without waiting for results (service shutdown). */
    public void cancel() {
        synchronized (lock) {
            if (socket != null) {
                socket.cancel();
            }
            finish();
        }
    }

    // ---- connection lifecycle (all called with lock held)

    private void connect() {
        open = false;
        heardFromServer = false;
        socket = client.newWebSocket(request, new Connection());
    }

    private void buffer(byte[] frame) {
        pending.addLast(frame);
        pendingBytes += frame.length;
        while (pendingBytes > bufferLimitBytes && !pending.isEmpty()) {
            pendingBytes -= pending.removeFirst().length;
            if (!droppingPending) {
                droppingPending = true;
                log.warn("Deepgram stream of call {}: more than {} ms of audio waiting for the connection; "
                        + "dropping the oldest", callId, config.reconnectBuffer().toMillis());
            }
        }
    }

    private void opened(WebSocket ws) {
        open = true;
        openedAtNanos = context.nanoTime();
        for (byte[] frame : pending) {
            ws.send(ByteString.of(frame));
        }
        pending.clear();
        pendingBytes = 0;
        droppingPending = false;
        if (finalizeOnOpen) {
            finalizeOnOpen = false;
            ws.send(FINALIZE);
        }
        lastSentNanos = context.nanoTime();
        if (closing) {
            ws.send(CLOSE_STREAM);
            return;
        }
        long tick = Math.max(10, config.keepAliveInterval().toMillis() / 2);
        keepAlive = context.scheduler().scheduleAtFixedRate(this::keepAliveTick, tick, tick, TimeUnit.MILLISECONDS);
    }

    private void keepAliveTick() {
        synchronized (lock) {
            long now = context.nanoTime();
            if (open && now - lastSentNanos >= config.keepAliveInterval().toNanos() && socket.send(KEEP_ALIVE)) {
                lastSentNanos = now;
            }
        }
    }

    /**
     * The current socket is gone. Returns the error to report when the stream cannot go on, or null when a
     * reconnection was scheduled (or the stream was closing anyway).
     */
    private ServiceException lost(String reason, int status) {
        boolean wasOpen = open;
        socket = null;
        open = false;
        cancel(keepAlive);
        if (closing) {
            log.debug("Deepgram connection of call {} ended while closing: {}", callId, reason);
            finish();
            return null;
        }
        if (status == 401 || status == 403) {
            return new ServiceException(SERVICE, "Deepgram rejected the API key from " + config.apiKey().source()
                    + "; " + reason, true, null);
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return new ServiceException(SERVICE, "Deepgram refused the stream; " + reason
                    + "; check the model, language and params settings", true, null);
        }
        if (wasOpen && (heardFromServer || context.nanoTime() - openedAtNanos >= STABLE_NANOS)) {
            failedAttempts = 0;
        }
        failedAttempts++;
        if (failedAttempts > config.reconnectAttempts()) {
            return new ServiceException(SERVICE, "lost the connection to Deepgram and could not reconnect after "
                    + config.reconnectAttempts() + " attempts; last: " + reason, true, null);
        }
        long backoff = Math.min(MAX_BACKOFF_MILLIS,
                config.reconnectBackoff().toMillis() << Math.min(failedAttempts - 1, 20)); // no shift past the cap
        long delay = backoff + ThreadLocalRandom.current().nextLong(backoff / 5 + 1); // spread calls that dropped together
        log.warn("Deepgram connection of call {} lost ({}); reconnecting in {} ms (attempt {} of {})",
                callId, reason, delay, failedAttempts, config.reconnectAttempts());
        reconnect = context.scheduler().schedule(this::reconnectNow, delay, TimeUnit.MILLISECONDS);
        return null;
    }

    private void reconnectNow() {
        synchronized (lock) {
            if (!done && !closing && socket == null) {
                connect();
            }
        }
    }

    private void closeDeadlinePassed() {
        synchronized (lock) {
            if (done) {
                return;
            }
            log.debug("Deepgram did not finish the stream of call {} within {} ms of CloseStream; closing it",
                    callId, config.closeTimeout().toMillis());
            if (socket != null) {
                socket.cancel();
            }
            finish();
        }
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        closing = true;
        socket = null;
        open = false;
        pending.clear();
        pendingBytes = 0;
        cancel(keepAlive);
        cancel(reconnect);
        cancel(closeDeadline);
        finished.complete(null);
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    // ---- listener calls

    /** Delivers an event unless {@code from} stopped being the current socket or the stream finished. */
    private void emit(WebSocket from, Consumer<SttListener> event) {
        synchronized (emitLock) {
            synchronized (lock) {
                if (done || from != socket) {
                    return;
                }
            }
            event.accept(listener);
        }
    }

    private void fail(ServiceException error) {
        synchronized (emitLock) {
            synchronized (lock) {
                if (done) {
                    return;
                }
                finish();
            }
            log.warn("Deepgram stream of call {} failed: {}", callId, error.getMessage());
            listener.onError(error);
        }
    }

    // ---- server messages

    private void onText(WebSocket ws, String text) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (JacksonException e) {
            emit(ws, l -> l.onError(new ServiceException(SERVICE,
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
            case "Error" -> emit(ws, l -> l.onError(new ServiceException(SERVICE, "Deepgram reported an error: "
                    + message.path("description").asText(message.path("message").asText(excerpt(text))))));
            case "" -> emit(ws, l -> l.onError(new ServiceException(SERVICE,
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
            long stoppedAt;
            synchronized (lock) {
                stoppedAt = speechStoppedNanos;
                speechStoppedNanos = NONE;
            }
            if (stoppedAt != NONE) {
                context.metrics().record(new Metric.TimeToFirstByte(SERVICE, context.nanoTime() - stoppedAt));
            }
            // the SPI's Transcript has no endpoint flag: speech_final only shows in the debug log
            log.debug("Deepgram final of call {} (speech_final={}, from_finalize={})", callId,
                    message.path("speech_final").asBoolean(false), message.path("from_finalize").asBoolean(false));
        }
        emit(ws, l -> l.onTranscript(transcript));
    }

    private void onMetadata(WebSocket ws, JsonNode message) {
        log.debug("Deepgram metadata of call {}: request_id={}, duration={}", callId,
                message.path("request_id").asText(), message.path("duration").asText());
        synchronized (lock) {
            // after CloseStream, Metadata is the last message: every result has been delivered
            if (closing && ws == socket) {
                ws.close(1000, null);
                finish();
            }
        }
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
            JsonNode error = json.readTree(body);
            if (error.hasNonNull("err_msg")) {
                return error.path("err_code").asText("error") + ": " + error.get("err_msg").asText();
            }
        } catch (JacksonException e) {
            // not JSON: the text itself is the best we have
        }
        return excerpt(body);
    }

    private final class Connection extends WebSocketListener {

        @Override
        public void onOpen(WebSocket ws, Response response) {
            synchronized (lock) {
                if (ws != socket) {
                    ws.cancel();
                    return;
                }
                log.debug("Deepgram stream of call {} connected (request id {})", callId,
                        response.header("dg-request-id"));
                opened(ws);
            }
        }

        @Override
        public void onMessage(WebSocket ws, String text) {
            synchronized (lock) {
                if (ws != socket) {
                    return;
                }
                heardFromServer = true;
            }
            onText(ws, text);
        }

        @Override
        public void onMessage(WebSocket ws, ByteString bytes) {
            log.debug("Deepgram stream of call {}: ignoring a binary message of {} bytes", callId, bytes.size());
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            // forget the socket before answering the close, so audio sent from now on waits for the next one
            disconnected(ws, "closed by Deepgram with code " + code + (reason.isEmpty() ? "" : ": " + reason), 0);
            ws.close(1000, null);
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            disconnected(ws, "closed with code " + code, 0);
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, Response response) {
            if (response != null) {
                disconnected(ws, handshakeError(response), response.code());
            } else {
                disconnected(ws, t.toString(), 0);
            }
        }

        /** @param status the HTTP status of a failed upgrade, 0 for any other end of the connection */
        private void disconnected(WebSocket ws, String reason, int status) {
            ServiceException error;
            synchronized (lock) {
                if (ws != socket || done) {
                    return;
                }
                error = lost(reason, status);
            }
            if (error != null) {
                fail(error);
            }
        }
    }
}
