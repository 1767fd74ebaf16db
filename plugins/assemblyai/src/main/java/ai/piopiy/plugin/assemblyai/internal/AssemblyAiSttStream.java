package ai.piopiy.plugin.assemblyai.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.assemblyai.AssemblyAiSttConfig;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.plugin.ttswebsocket.WebSocketFailures;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.slf4j.Logger;

/**
 * One call's AssemblyAI streaming session: a WebSocket to {@code /v3/ws} that is replaced by a new session
 * when it drops for a reason a new session may not share.
 *
 * <p>AssemblyAI takes 50 to 1000 ms of audio per binary frame, so the pipeline's frames are gathered into
 * {@code chunkMs} frames; a partial frame is padded with silence when it must go out (a forced endpoint,
 * the close).
 *
 * <p>Threads: the pipeline calls {@code sendAudio} and friends; OkHttp calls back on one reader thread per
 * socket; timers run on the host scheduler. State is guarded by {@code lock}; listener calls are made under
 * {@code emitLock} (taken before {@code lock}, never after) so that the listener sees one call at a time
 * across sessions, and nothing once the stream finished. Callbacks of a socket that is no longer the
 * current one are ignored.
 */
public final class AssemblyAiSttStream implements SttStream {

    static final String TERMINATE = "{\"type\":\"Terminate\"}";
    static final String FORCE_ENDPOINT = "{\"type\":\"ForceEndpoint\"}";

    private static final long NONE = Long.MIN_VALUE;
    /** A session that lived this long (or delivered a message) worked; its drop starts a fresh count of attempts. */
    private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AssemblyAiSttConfig config;
    private final ServiceResources resources;
    private final ScheduledExecutorService scheduler;
    private final Request request;
    private final SttListener listener;
    private final Logger log;
    private final String callId;
    private final String service;
    private final int bufferLimitBytes;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private final Object emitLock = new Object();
    private final Object lock = new Object();
    // everything below is guarded by lock
    private final byte[] chunk;
    private int chunkLength;
    private WebSocket socket; // connecting or open; null while waiting to reconnect and once finished
    private boolean open;
    private long openedAtNanos;
    private boolean heardFromServer;
    private int failedAttempts;
    private final ArrayDeque<ByteString> pending = new ArrayDeque<>();
    private int pendingBytes;
    private boolean droppingPending;
    private boolean forceEndpointOnOpen;
    private long speechStoppedNanos = NONE;
    private int lastFinalTurn = -1;
    private boolean closing;
    private boolean done;
    private ScheduledFuture<?> reconnect;
    private ScheduledFuture<?> closeDeadline;

    public AssemblyAiSttStream(AssemblyAiSttConfig config, ServiceResources resources, ScheduledExecutorService scheduler,
            Request request, SttStreamSpec spec, SttListener listener) {
        this.config = requireNonNull(config, "config is null");
        this.resources = requireNonNull(resources, "resources is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.request = requireNonNull(request, "request is null");
        this.listener = requireNonNull(listener, "listener is null");
        requireNonNull(spec, "spec is null");
        this.callId = spec.callId();
        this.log = resources.logger();
        this.service = resources.service();
        this.chunk = new byte[spec.format().bytesPer(config.chunkMs())];
        this.bufferLimitBytes = spec.format().bytesPer((int) Math.min(Integer.MAX_VALUE, config.reconnectBuffer().toMillis()));
    }

    /** Opens the first session; audio sent before it is up waits in the reconnect buffer. */
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
        synchronized (lock) {
            if (closing || done) {
                return;
            }
            while (length > 0) {
                int n = Math.min(length, chunk.length - chunkLength);
                System.arraycopy(pcm, offset, chunk, chunkLength, n);
                chunkLength += n;
                offset += n;
                length -= n;
                if (chunkLength == chunk.length) {
                    shipChunk();
                }
            }
        }
    }

    @Override
    public void userStoppedSpeaking() {
        synchronized (lock) {
            if (closing || done) {
                return;
            }
            speechStoppedNanos = resources.clock().getAsLong();
            if (!config.forceEndpointOnStop()) {
                return;
            }
            // the words at the very end are in the partial frame: they go out before the endpoint
            padAndShipChunk();
            if (open) {
                socket.send(FORCE_ENDPOINT);
            } else {
                forceEndpointOnOpen = true;
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closing || done) {
                return;
            }
            padAndShipChunk();
            closing = true;
            closeDeadline = scheduler.schedule(this::closeDeadlinePassed, config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (open) {
                socket.send(TERMINATE);
            } else if (socket == null) {
                // waiting to reconnect: there is no session to flush through
                log.debug("AssemblyAI stream of call {} closed while reconnecting; {} buffered bytes dropped", callId, pendingBytes);
                finish();
            }
            // else a session is being opened: onOpen replays the buffer and sends Terminate
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
        lastFinalTurn = -1; // each session counts its turns from 0
        socket = resources.client().open(request, new Connection());
    }

    private void padAndShipChunk() {
        if (chunkLength > 0) {
            Arrays.fill(chunk, chunkLength, chunk.length, (byte) 0);
            chunkLength = chunk.length;
            shipChunk();
        }
    }

    private void shipChunk() {
        ByteString frame = ByteString.of(chunk, 0, chunkLength);
        chunkLength = 0;
        if (open && socket.send(frame)) {
            return;
        }
        pending.addLast(frame);
        pendingBytes += frame.size();
        while (pendingBytes > bufferLimitBytes && !pending.isEmpty()) {
            pendingBytes -= pending.removeFirst().size();
            if (!droppingPending) {
                droppingPending = true;
                log.warn("AssemblyAI stream of call {}: more than {} ms of audio waiting for the connection; dropping the oldest",
                        callId, config.reconnectBuffer().toMillis());
            }
        }
    }

    private void opened(WebSocket ws) {
        open = true;
        openedAtNanos = resources.clock().getAsLong();
        for (ByteString frame : pending) {
            ws.send(frame);
        }
        pending.clear();
        pendingBytes = 0;
        droppingPending = false;
        if (forceEndpointOnOpen) {
            forceEndpointOnOpen = false;
            ws.send(FORCE_ENDPOINT);
        }
        if (closing) {
            ws.send(TERMINATE);
        }
    }

    /**
     * The current socket is gone. Returns the error to report when the stream cannot go on, or null when a
     * new session was scheduled (or the stream was closing anyway).
     *
     * @param closeCode the server's close code, 0 when there was none
     * @param status the HTTP status of a refused upgrade, 0 for any other end of the connection
     */
    private ServiceException lost(String reason, int closeCode, int status) {
        boolean wasOpen = open;
        socket = null;
        open = false;
        if (closing) {
            log.debug("AssemblyAI connection of call {} ended while closing: {}", callId, reason);
            finish();
            return null;
        }
        ServiceException refusal = refusal(reason, closeCode, status);
        if (refusal != null) {
            return refusal;
        }
        long now = resources.clock().getAsLong();
        if (wasOpen && (heardFromServer || now - openedAtNanos >= STABLE_NANOS)) {
            failedAttempts = 0;
        }
        failedAttempts++;
        if (failedAttempts > config.reconnectAttempts()) {
            return new ServiceException(service, "lost the connection to AssemblyAI and could not reconnect after "
                    + config.reconnectAttempts() + " attempts; last: " + reason, true, null);
        }
        long backoff = Math.min(MAX_BACKOFF_MILLIS, config.reconnectBackoff().toMillis() << Math.min(failedAttempts - 1, 20));
        long delay = backoff + ThreadLocalRandom.current().nextLong(backoff / 5 + 1); // spread calls that dropped together
        log.warn("AssemblyAI connection of call {} lost ({}); opening a new session in {} ms (attempt {} of {})",
                callId, reason, delay, failedAttempts, config.reconnectAttempts());
        reconnect = scheduler.schedule(this::reconnectNow, delay, TimeUnit.MILLISECONDS);
        return null;
    }

    /** The error for an end that a new session would meet again, or null when one may succeed. */
    private ServiceException refusal(String reason, int closeCode, int status) {
        return switch (closeCode) {
            case 1008 -> new ServiceException(service, "AssemblyAI refused the session (" + reason
                    + "); check the API key from " + config.apiKey().source() + " and the account's balance", true, null);
            case 3009 -> new ServiceException(service, "AssemblyAI refused the session: the account's limit of concurrent "
                    + "sessions is reached (" + reason + ")", true, null);
            case 3006 -> new ServiceException(service, "AssemblyAI rejected a message of this client (" + reason + ")", true, null);
            default -> status >= 400 && status < 500 && status != 408 && status != 429
                    ? new ServiceException(service, reason + "; check the API key from " + config.apiKey().source()
                            + " and the speech_model setting", true, null)
                    : null;
        };
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
            log.debug("AssemblyAI did not end the session of call {} within {} ms of Terminate; closing it",
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
            log.warn("AssemblyAI stream of call {} failed: {}", callId, error.getMessage());
            listener.onError(error);
        }
    }

    // ---- server messages

    private void onText(WebSocket ws, String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            ServiceException error = WebSocketFailures.malformed(resources, e);
            emit(ws, l -> l.onError(error));
            return;
        }
        String type = message.path("type").asText("");
        switch (type) {
            case "Turn" -> onTurn(ws, message);
            case "Begin" -> log.debug("AssemblyAI session {} of call {} began (expires at {})",
                    message.path("id").asText(), callId, message.path("expires_at").asText());
            case "SpeechStarted" -> emit(ws, SttListener::onSpeechStarted);
            case "Termination" -> onTermination(ws, message);
            // the SDK knows Error and Warning messages; the close code that follows an error decides what happens next
            case "Error" -> {
                ServiceException error = new ServiceException(service, "AssemblyAI reported error "
                        + message.path("error_code").asText("?") + ": " + resources.redact(message.path("error").asText(excerpt(text))));
                emit(ws, l -> l.onError(error));
            }
            case "Warning" -> log.warn("AssemblyAI warning {} on the stream of call {}: {}",
                    message.path("warning_code").asText("?"), callId, resources.redact(message.path("warning").asText()));
            case "" -> {
                ServiceException error = new ServiceException(service, "a message from AssemblyAI has no type: "
                        + resources.redact(excerpt(text)));
                emit(ws, l -> l.onError(error));
            }
            default -> log.debug("AssemblyAI stream of call {}: ignoring a {} message", callId, type);
        }
    }

    private void onTurn(WebSocket ws, JsonNode message) {
        boolean endOfTurn = message.path("end_of_turn").asBoolean(false);
        // with format_turns, older servers send the end of a turn twice: unformatted, then formatted
        boolean isFinal = endOfTurn && (!config.formatTurns() || message.path("turn_is_formatted").asBoolean(false));
        JsonNode words = message.path("words");
        String language = message.path("language_code").asText(null);
        if (!isFinal) {
            // transcript holds only the finished words; the words still changing are only in words[]
            String text = words.isArray() && !words.isEmpty() ? join(words) : message.path("transcript").asText("");
            if (!text.isBlank()) {
                Transcript interim = new Transcript(text.strip(), false, language, Double.NaN);
                emit(ws, l -> l.onTranscript(interim));
            }
            return;
        }
        String text = message.path("transcript").asText("").strip();
        int turn = message.path("turn_order").asInt(-1);
        long stoppedAt;
        synchronized (lock) {
            if (ws != socket || (turn >= 0 && turn <= lastFinalTurn)) {
                return;
            }
            lastFinalTurn = Math.max(lastFinalTurn, turn);
            stoppedAt = speechStoppedNanos;
            if (!text.isEmpty()) {
                speechStoppedNanos = NONE;
            }
        }
        if (text.isEmpty()) {
            return; // a forced endpoint in silence ends an empty turn
        }
        if (stoppedAt != NONE) {
            resources.metrics().record(new Metric.TimeToFirstByte(service, resources.clock().getAsLong() - stoppedAt));
        }
        Transcript transcript = new Transcript(text, true, language, meanConfidence(words));
        emit(ws, l -> {
            l.onTranscript(transcript);
            l.onUtteranceEnd();
        });
    }

    private void onTermination(WebSocket ws, JsonNode message) {
        log.debug("AssemblyAI ended the session of call {}: {} s of audio in {} s", callId,
                message.path("audio_duration_seconds").asText(), message.path("session_duration_seconds").asText());
        synchronized (lock) {
            // after Terminate, Termination is the last message: every turn has been delivered
            if (closing && ws == socket) {
                ws.close(1000, null);
                finish();
            }
        }
    }

    private static String join(JsonNode words) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode word : words) {
            String w = word.path("text").asText("");
            if (!w.isEmpty()) {
                sb.append(sb.isEmpty() ? "" : " ").append(w);
            }
        }
        return sb.toString();
    }

    private static double meanConfidence(JsonNode words) {
        double sum = 0;
        int n = 0;
        for (JsonNode word : words) {
            if (word.path("confidence").isNumber()) {
                sum += word.get("confidence").asDouble();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static String excerpt(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }

    private final class Connection extends WebSocketListener {

        @Override
        public void onOpen(WebSocket ws, Response response) {
            synchronized (lock) {
                if (ws != socket) {
                    ws.cancel();
                    return;
                }
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
            log.debug("AssemblyAI stream of call {}: ignoring a binary message of {} bytes", callId, bytes.size());
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            // forget the socket before answering the close, so audio sent from now on waits for the next session
            disconnected(ws, "closed by AssemblyAI with code " + code
                    + (reason.isEmpty() ? "" : ": " + resources.redact(reason)), code, 0);
            ws.close(1000, null);
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            disconnected(ws, "closed with code " + code, code, 0);
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, Response response) {
            ServiceException failure = WebSocketFailures.of(resources, t, response);
            disconnected(ws, failure.getMessage(), 0, response == null ? 0 : response.code());
        }

        private void disconnected(WebSocket ws, String reason, int closeCode, int status) {
            ServiceException error;
            synchronized (lock) {
                if (ws != socket || done) {
                    return;
                }
                error = lost(reason, closeCode, status);
            }
            if (error != null) {
                fail(error);
            }
        }
    }
}
