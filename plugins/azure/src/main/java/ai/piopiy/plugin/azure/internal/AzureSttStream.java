package ai.piopiy.plugin.azure.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.azure.AzureSttConfig;
import ai.piopiy.plugin.ttswebsocket.LiveSttStream;
import ai.piopiy.plugin.ttswebsocket.WebSocketClient;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * One call's continuous recognition over the Speech service's WebSocket protocol.
 *
 * <p>A connection carries turns: each starts with {@code speech.context} and an {@code audio} message
 * holding the WAV header, under a fresh {@code X-RequestId}; the first turn of a connection is preceded
 * by {@code speech.config}. Audio the service has not settled yet (everything after the end of its last
 * {@code speech.phrase}) is kept, up to {@link AzureSttConfig#replayBuffer()}, and replayed at the start
 * of the next turn, so that nothing is lost when a connection drops or is replaced: before the service's
 * 10-minute limit a fresh connection is opened and, once it is up, takes over with the unsettled audio
 * while the old one is closed and its late results ignored.
 *
 * <p>Threads: the pipeline calls {@code sendAudio} and friends; each socket has its own reader thread;
 * timers run on the host scheduler. State is guarded by {@code lock}; listener calls are made under
 * {@code emitLock} (taken before {@code lock}, never after), so the listener sees one call at a time
 * across connections and nothing once the stream finished. Messages of a connection that is no longer the
 * current one are ignored.
 */
public final class AzureSttStream implements LiveSttStream {

    private static final String SERVICE = "azure-stt";
    private static final String PROVIDER = "Azure Speech";
    private static final long NONE = Long.MIN_VALUE;
    /** A connection that lived this long (or delivered a message) worked; its drop starts a fresh count of attempts. */
    private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    /** Timestamps kept per message kind for a turn's telemetry; a long turn has thousands of hypotheses. */
    private static final int TELEMETRY_LIMIT = 50;
    private static final long TICKS_PER_SECOND = 10_000_000L;

    private final AzureSttConfig config;
    private final ProviderContext context;
    private final WebSocketClient client;
    private final ObjectMapper json;
    private final SttListener listener;
    private final Logger log;
    private final String callId;
    private final String secret;
    private final Resampler resampler; // null when the call's rate is one the service takes
    private final int wireRate;
    private final long bufferLimitBytes;
    private final String speechConfig;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private final Object emitLock = new Object();
    private final Object lock = new Object();
    // everything below is guarded by lock
    private Connection current; // connecting or open; null while waiting to reconnect and once finished
    private Connection next; // a fresh connection about to replace the current one
    /** Audio messages sent in the current turn that no phrase has settled yet, oldest first, as sent. */
    private final ArrayDeque<byte[]> unsettled = new ArrayDeque<>();
    /** PCM not sent yet, because no connection is up. */
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private long unsettledStart; // the turn's byte position of the first unsettled chunk
    private long turnBytes; // audio bytes sent in the current turn
    private long bufferedBytes; // in unsettled and pending together
    private boolean dropping;
    private int failedAttempts;
    private long speechStoppedNanos = NONE;
    private boolean closing;
    private boolean done;
    private ScheduledFuture<?> rotation;
    private ScheduledFuture<?> reconnect;
    private ScheduledFuture<?> closeDeadline;

    public AzureSttStream(AzureSttConfig config, ProviderContext context, WebSocketClient client, ObjectMapper json,
            SttStreamSpec spec, SttListener listener) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.client = requireNonNull(client, "client is null");
        this.json = requireNonNull(json, "json is null");
        this.listener = requireNonNull(listener, "listener is null");
        requireNonNull(spec, "spec is null");
        this.callId = spec.callId();
        this.log = context.logger();
        this.secret = config.account().apiKey().reveal();
        int rate = spec.format().sampleRate();
        // the service takes PCM16 at 8 or 16 kHz; other rates are brought to 16 kHz here
        this.wireRate = rate == 8_000 || rate == 16_000 ? rate : 16_000;
        this.resampler = rate == wireRate ? null : new Resampler(rate, wireRate);
        this.bufferLimitBytes = config.replayBuffer().toMillis() * wireRate * 2 / 1000;
        this.speechConfig = speechConfig(json, wireRate);
    }

    private static String speechConfig(ObjectMapper json, int rate) {
        ObjectNode root = json.createObjectNode();
        ObjectNode ctx = root.putObject("context");
        ctx.putObject("system").put("name", "Piopiy").put("version", "0.1.0").put("build", "Java").put("lang", "Java");
        ctx.putObject("os").put("platform", System.getProperty("os.name", "unknown"))
                .put("name", "Java").put("version", Runtime.version().toString());
        ctx.putObject("audio").putObject("source").put("bitspersample", 16).put("channelcount", 1)
                .put("connectivity", "Unknown").put("manufacturer", "Piopiy").put("model", "Call")
                .put("samplerate", rate).put("type", "Stream");
        return root.toString();
    }

    @Override
    public void start() {
        synchronized (lock) {
            current = connect();
        }
    }

    @Override
    public CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public void sendAudio(byte[] pcm, int offset, int length) {
        requireNonNull(pcm, "pcm is null");
        if (length <= 0) {
            return; // an empty audio message would end the turn
        }
        byte[] audio;
        int from;
        int size;
        if (resampler == null) {
            audio = pcm;
            from = offset;
            size = length;
        } else {
            audio = resampler.process(pcm, offset, length);
            from = 0;
            size = audio.length;
        }
        synchronized (lock) {
            if (closing || done) {
                return;
            }
            for (int at = from, end = from + size; at < end; at += Usp.MAX_AUDIO_BYTES) {
                int chunk = Math.min(end - at, Usp.MAX_AUDIO_BYTES);
                if (current != null && current.open) {
                    sendAudio(current, audio, at, chunk);
                } else {
                    pending.addLast(Arrays.copyOfRange(audio, at, at + chunk));
                    bufferedBytes += chunk;
                }
            }
            enforceLimit();
        }
    }

    @Override
    public void userStoppedSpeaking() {
        synchronized (lock) {
            if (!closing && !done) {
                // the service segments by itself; the VAD's stop only starts the clock for the time to the final
                speechStoppedNanos = context.nanoTime();
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
            cancel(rotation);
            if (next != null) {
                next.socket.cancel();
                next = null;
            }
            if (current == null) {
                // waiting to reconnect: there is no connection to flush through
                log.debug("Azure Speech stream of call {} closed while reconnecting; {} buffered bytes dropped", callId, bufferedBytes);
                finish();
                return;
            }
            closeDeadline = context.scheduler().schedule(this::closeDeadlinePassed, config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (current.open) {
                endAudio(current);
            }
            // else the connection is being opened: its turn starts, replays what is kept and ends its audio then
        }
    }

    @Override
    public void cancel() {
        synchronized (lock) {
            finish();
        }
    }

    // ---- connections and turns (all called with lock held)

    private Connection connect() {
        Connection connection = new Connection(Usp.newId(), Usp.timestamp(Instant.now()));
        Request request = new Request.Builder()
                .url(config.url())
                .header("Ocp-Apim-Subscription-Key", secret)
                .header("X-ConnectionId", connection.id)
                .build();
        connection.socket = client.open(request, connection);
        return connection;
    }

    private void opened(Connection connection) {
        connection.open = true;
        connection.opened = true;
        connection.openedAtNanos = context.nanoTime();
        connection.connectedAt = Usp.timestamp(Instant.now());
        if (connection == next) {
            // the fresh connection takes over: the old one's late results would repeat what is replayed now
            Connection old = current;
            current = connection;
            next = null;
            old.socket.close(1000, "replaced by a fresh connection");
            log.debug("Azure Speech stream of call {}: connection {} replaced {}", callId, connection.id, old.id);
        }
        startTurn(connection, true);
        if (closing) {
            endAudio(connection);
        } else {
            rotation = context.scheduler().schedule(this::rotate, config.connectionLifetime().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A new turn: config (first turn of a connection), context, the WAV header, then every kept chunk. */
    private void startTurn(Connection connection, boolean firstOfConnection) {
        Usp.AudioFramer framer = new Usp.AudioFramer(Usp.newId());
        connection.framer = framer;
        connection.received.clear();
        Instant now = Instant.now();
        if (firstOfConnection) {
            connection.socket.send(Usp.text("speech.config", framer.requestId(), now, speechConfig));
        }
        connection.socket.send(Usp.text("speech.context", framer.requestId(), now, "{}"));
        connection.socket.send(ByteString.of(framer.first(now.toEpochMilli(), Usp.wavHeader(wireRate))));
        List<byte[]> replay = new ArrayList<>(unsettled);
        List<byte[]> waiting = new ArrayList<>(pending);
        if (!replay.isEmpty()) {
            log.debug("Azure Speech stream of call {}: replaying {} unsettled bytes in a new turn", callId, turnBytes - unsettledStart);
        }
        unsettled.clear();
        pending.clear();
        bufferedBytes = 0;
        unsettledStart = 0;
        turnBytes = 0;
        dropping = false;
        for (byte[] message : replay) {
            int offset = Usp.audioOffset(message);
            sendAudio(connection, message, offset, message.length - offset);
        }
        for (byte[] pcm : waiting) {
            sendAudio(connection, pcm, 0, pcm.length);
        }
    }

    private void sendAudio(Connection connection, byte[] pcm, int offset, int length) {
        byte[] message = connection.framer.next(System.currentTimeMillis(), pcm, offset, length);
        // kept even when the send fails: a socket that refuses it is going away, and the next turn replays it
        connection.socket.send(ByteString.of(message));
        unsettled.addLast(message);
        turnBytes += length;
        bufferedBytes += length;
    }

    private static int audioLength(byte[] message) {
        return message.length - Usp.audioOffset(message);
    }

    private void endAudio(Connection connection) {
        connection.socket.send(ByteString.of(connection.framer.next(System.currentTimeMillis(), new byte[0], 0, 0)));
    }

    private void enforceLimit() {
        while (bufferedBytes > bufferLimitBytes && (!unsettled.isEmpty() || !pending.isEmpty())) {
            int dropped;
            if (!unsettled.isEmpty()) {
                dropped = audioLength(unsettled.removeFirst());
                unsettledStart += dropped;
            } else {
                dropped = pending.removeFirst().length;
            }
            bufferedBytes -= dropped;
            if (!dropping) {
                dropping = true;
                log.debug("Azure Speech stream of call {}: more than {} ms of audio kept for replay; dropping the oldest",
                        callId, config.replayBuffer().toMillis());
            }
        }
    }

    /** A phrase ended at {@code endTicks} (100 ns units from the turn's first audio): audio before it is settled. */
    private void settle(Connection connection, String requestId, long endTicks) {
        if (connection != current || !(requestId.isEmpty() || requestId.equals(connection.framer.requestId()))) {
            return;
        }
        long settledBytes = endTicks * wireRate / TICKS_PER_SECOND * 2;
        while (!unsettled.isEmpty() && unsettledStart + audioLength(unsettled.peekFirst()) <= settledBytes) {
            int length = audioLength(unsettled.removeFirst());
            unsettledStart += length;
            bufferedBytes -= length;
        }
        if (unsettled.isEmpty() && pending.isEmpty()) {
            dropping = false;
        }
    }

    private void rotate() {
        synchronized (lock) {
            if (done || closing || next != null || current == null || !current.open) {
                return;
            }
            log.debug("Azure Speech stream of call {}: connection {} is {} s old; opening a fresh one", callId, current.id,
                    config.connectionLifetime().toSeconds());
            next = connect();
        }
    }

    /**
     * A connection is gone. Returns the error to report when the stream cannot go on, or null when the stream
     * goes on (a reconnection was scheduled, the connection was not the current one, or the stream was closing).
     */
    private ServiceException lost(Connection connection, String reason, int status, int closeCode) {
        connection.open = false;
        if (connection == next) {
            next = null;
            if (status == 401 || status == 403) {
                return rejectedKey(reason);
            }
            log.warn("Azure Speech stream of call {}: the fresh connection failed ({}); keeping the current one", callId, reason);
            rotation = context.scheduler().schedule(this::rotate, backoffMillis(1), TimeUnit.MILLISECONDS);
            return null;
        }
        if (connection != current) {
            return null;
        }
        current = null;
        cancel(rotation);
        if (closing) {
            log.debug("Azure Speech connection of call {} ended while closing: {}", callId, reason);
            finish();
            return null;
        }
        if (status == 401 || status == 403) {
            return rejectedKey(reason);
        }
        if (status == 400 || status == 404) {
            return new ServiceException(SERVICE, PROVIDER + " refused the connection (" + reason
                    + "); check the region, endpoint, language and endpoint_id settings", true, null);
        }
        if (status != 0 && status < 500 && status != 408 && status != 429) {
            return new ServiceException(SERVICE, PROVIDER + " refused the connection (" + reason + ")", true, null);
        }
        // as the Speech SDK does, closes for a protocol or audio fault are not retried: the next attempt would fail alike
        String refusal = switch (closeCode) {
            case 1002 -> " rejected a message's headers (";
            case 1003, 4000 -> " ended the recognition (";
            case 1007 -> " rejected the audio or a message's framing (";
            default -> null; // 1000 (idle or connection time limit), 1011 (server error): retried, as drops and 429/5xx upgrades
        };
        if (refusal != null) {
            return new ServiceException(SERVICE, PROVIDER + refusal + reason + ")", true, null);
        }
        if (next != null) {
            // a fresh connection is on its way already: it takes over and replays what this one left unsettled
            log.warn("Azure Speech connection of call {} lost ({}); the fresh one takes over", callId, reason);
            current = next;
            next = null;
            return null;
        }
        if (connection.opened && (connection.heard || context.nanoTime() - connection.openedAtNanos >= STABLE_NANOS)) {
            failedAttempts = 0;
        }
        failedAttempts++;
        if (failedAttempts > config.reconnectAttempts()) {
            return new ServiceException(SERVICE, "lost the connection to " + PROVIDER + " and could not reconnect after "
                    + config.reconnectAttempts() + " attempts; last: " + reason, true, null);
        }
        long delay = backoffMillis(failedAttempts);
        log.warn("Azure Speech connection of call {} lost ({}); reconnecting in {} ms (attempt {} of {})",
                callId, reason, delay, failedAttempts, config.reconnectAttempts());
        reconnect = context.scheduler().schedule(this::reconnectNow, delay, TimeUnit.MILLISECONDS);
        return null;
    }

    private ServiceException rejectedKey(String reason) {
        return new ServiceException(SERVICE, PROVIDER + " rejected the key from " + config.account().apiKey().source()
                + " (" + reason + "); check the key and that it belongs to the region's resource", true, null);
    }

    private long backoffMillis(int attempt) {
        long backoff = Math.min(MAX_BACKOFF_MILLIS, config.reconnectBackoff().toMillis() << Math.min(attempt - 1, 20));
        return backoff + ThreadLocalRandom.current().nextLong(backoff / 5 + 1); // spread calls that dropped together
    }

    private void reconnectNow() {
        synchronized (lock) {
            if (!done && !closing && current == null) {
                current = connect();
            }
        }
    }

    private void closeDeadlinePassed() {
        synchronized (lock) {
            if (!done) {
                log.debug("Azure Speech did not end the turn of call {} within {} ms of the end of audio; closing",
                        callId, config.closeTimeout().toMillis());
                finish();
            }
        }
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        closing = true;
        for (Connection connection : new Connection[] {current, next}) {
            if (connection != null) {
                if (connection.open) {
                    connection.socket.close(1000, null);
                } else {
                    connection.socket.cancel();
                }
            }
        }
        current = null;
        next = null;
        unsettled.clear();
        pending.clear();
        bufferedBytes = 0;
        cancel(rotation);
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

    /** Delivers an event unless {@code from} stopped being the current connection or the stream finished. */
    private void emit(Connection from, Consumer<SttListener> event) {
        synchronized (emitLock) {
            synchronized (lock) {
                if (done || from != current) {
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
            log.warn("Azure Speech stream of call {} failed: {}", callId, error.getMessage());
            listener.onError(error);
        }
    }

    private String redact(String text) {
        return text == null || secret.isEmpty() ? text : text.replace(secret, "****");
    }

    // ---- server messages

    private void onText(Connection connection, String text) {
        Usp.Message message;
        try {
            message = Usp.parse(text);
        } catch (IllegalArgumentException e) {
            malformed(connection, e.getMessage());
            return;
        }
        synchronized (lock) {
            if (connection != current) {
                return;
            }
            connection.heard = true;
            List<String> times = connection.received.computeIfAbsent(message.path(), p -> new ArrayList<>());
            if (times.size() < TELEMETRY_LIMIT) {
                times.add(Usp.timestamp(Instant.now()));
            }
        }
        switch (message.path()) {
            case "turn.start" -> log.debug("Azure Speech stream of call {}: turn {} started", callId, message.requestId());
            case "speech.startDetected" -> emit(connection, SttListener::onSpeechStarted);
            case "speech.hypothesis", "speech.fragment" -> hypothesis(connection, message);
            case "speech.phrase" -> phrase(connection, message);
            case "speech.endDetected" -> emit(connection, SttListener::onUtteranceEnd);
            case "turn.end" -> turnEnded(connection, message);
            default -> log.debug("Azure Speech stream of call {}: ignoring a {} message", callId, message.path());
        }
    }

    private JsonNode body(Connection connection, Usp.Message message) {
        try {
            JsonNode body = json.readTree(message.body());
            if (body != null && body.isObject()) {
                return body;
            }
            malformed(connection, "a " + message.path() + " message whose body is not a JSON object: " + Usp.excerpt(message.body()));
        } catch (JacksonException e) {
            malformed(connection, "a " + message.path() + " message whose body is not JSON (" + e.getOriginalMessage() + ")");
        }
        return null;
    }

    private void malformed(Connection connection, String problem) {
        emit(connection, l -> l.onError(new ServiceException(SERVICE, PROVIDER + " sent a malformed message: " + redact(problem))));
    }

    private void hypothesis(Connection connection, Usp.Message message) {
        JsonNode body = body(connection, message);
        if (body == null) {
            return;
        }
        String text = body.path("Text").asText("");
        if (!text.isBlank()) {
            Transcript transcript = new Transcript(text, false, config.language(), Double.NaN);
            emit(connection, l -> l.onTranscript(transcript));
        }
    }

    private void phrase(Connection connection, Usp.Message message) {
        JsonNode body = body(connection, message);
        if (body == null) {
            return;
        }
        String status = body.path("RecognitionStatus").asText("");
        switch (status) {
            case "Success" -> success(connection, message, body);
            case "NoMatch", "InitialSilenceTimeout", "BabbleTimeout" -> {
                synchronized (lock) {
                    settle(connection, message.requestId(), end(body));
                }
                log.debug("Azure Speech stream of call {}: no speech recognised ({})", callId, status);
            }
            case "EndOfDictation" -> log.debug("Azure Speech stream of call {}: end of dictation", callId);
            case "Error" -> emit(connection, l -> l.onError(new ServiceException(SERVICE,
                    PROVIDER + " reported a recognition error (RecognitionStatus Error)")));
            case "TooManyRequests" -> emit(connection, l -> l.onError(new ServiceException(SERVICE,
                    PROVIDER + " refused the recognition: too many requests for the resource's quota (RecognitionStatus TooManyRequests)")));
            case "BadRequest" -> fail(new ServiceException(SERVICE, PROVIDER
                    + " refused the recognition as a bad request (RecognitionStatus BadRequest); check the language and endpoint_id settings",
                    true, null));
            case "Forbidden" -> fail(new ServiceException(SERVICE, PROVIDER
                    + " refused the recognition (RecognitionStatus Forbidden); the resource's tier or region does not allow it",
                    true, null));
            default -> malformed(connection, "a speech.phrase with "
                    + (status.isEmpty() ? "no RecognitionStatus" : "the unknown RecognitionStatus \"" + status + "\""));
        }
    }

    private static long end(JsonNode body) {
        return body.path("Offset").asLong(0) + body.path("Duration").asLong(0);
    }

    private void success(Connection connection, Usp.Message message, JsonNode body) {
        JsonNode best = body.path("NBest").path(0);
        String text = body.path("DisplayText").asText(best.path("Display").asText(""));
        double confidence = best.path("Confidence").asDouble(Double.NaN);
        long stoppedAt;
        synchronized (lock) {
            settle(connection, message.requestId(), end(body));
            stoppedAt = speechStoppedNanos;
            if (!text.isBlank()) {
                speechStoppedNanos = NONE;
            }
        }
        if (text.isBlank()) {
            return;
        }
        if (stoppedAt != NONE) {
            context.metrics().record(new Metric.TimeToFirstByte(SERVICE, context.nanoTime() - stoppedAt));
        }
        Transcript transcript = new Transcript(text, true, config.language(), confidence);
        emit(connection, l -> l.onTranscript(transcript));
    }

    private void turnEnded(Connection connection, Usp.Message message) {
        synchronized (lock) {
            if (connection != current) {
                return;
            }
            connection.socket.send(Usp.text("telemetry", message.requestId().isEmpty() ? connection.framer.requestId() : message.requestId(),
                    Instant.now(), telemetry(connection)));
            if (closing) {
                log.debug("Azure Speech stream of call {} ended its last turn", callId);
                finish();
            } else {
                // the service ended the turn by itself (silence or dictation limits): go on in a new one
                log.debug("Azure Speech stream of call {}: the service ended turn {}; starting another", callId, connection.framer.requestId());
                startTurn(connection, false);
            }
        }
    }

    /**
     * The telemetry the SDKs send after each turn: when each kind of message arrived and, after a connection's
     * first turn, how long the connection took to open.
     */
    private String telemetry(Connection connection) {
        ObjectNode root = json.createObjectNode();
        ArrayNode metrics = root.putArray("Metrics");
        if (connection.connectedAt != null) {
            metrics.addObject().put("Name", "Connection").put("Id", connection.id)
                    .put("Start", connection.connectingAt).put("End", connection.connectedAt);
            connection.connectedAt = null;
        }
        ObjectNode received = root.putObject("ReceivedMessages");
        connection.received.forEach((path, times) -> {
            ArrayNode at = received.putArray(path);
            times.forEach(at::add);
        });
        return root.toString();
    }

    /** Why an upgrade failed: its status and (the start of) the body the service sent. */
    private String upgradeFailure(Response response) {
        String body;
        try {
            body = response.peekBody(512).string().strip();
        } catch (IOException | IllegalStateException e) {
            body = "";
        }
        return "HTTP " + response.code() + (body.isEmpty() ? "" : ": " + Usp.excerpt(redact(body)));
    }

    /** One WebSocket to the service, with the turn it is in. */
    private final class Connection extends WebSocketListener {

        final String id;
        final String connectingAt;
        String connectedAt; // until the first telemetry reports it
        WebSocket socket; // guarded by lock, as is everything below
        boolean open;
        boolean opened; // was open once
        long openedAtNanos;
        boolean heard;
        Usp.AudioFramer framer; // the current turn's; set when the connection opens
        final Map<String, List<String>> received = new LinkedHashMap<>();

        Connection(String id, String connectingAt) {
            this.id = id;
            this.connectingAt = connectingAt;
        }

        @Override
        public void onOpen(WebSocket ws, Response response) {
            synchronized (lock) {
                if (done || (this != current && this != next)) {
                    ws.cancel();
                    return;
                }
                log.debug("Azure Speech stream of call {} connected (connection {})", callId, id);
                opened(this);
            }
        }

        @Override
        public void onMessage(WebSocket ws, String text) {
            onText(this, text);
        }

        @Override
        public void onMessage(WebSocket ws, ByteString bytes) {
            log.debug("Azure Speech stream of call {}: ignoring a binary message of {} bytes", callId, bytes.size());
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            ws.close(1000, null);
            disconnected("closed by " + PROVIDER + " with code " + code + (reason.isEmpty() ? "" : ": " + redact(reason)), 0, code);
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            disconnected("closed with code " + code, 0, code);
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, Response response) {
            if (response != null) {
                disconnected(upgradeFailure(response), response.code(), 0);
            } else {
                disconnected("connection failed: " + redact(String.valueOf(t)), 0, 0);
            }
        }

        private void disconnected(String reason, int status, int closeCode) {
            ServiceException error;
            synchronized (lock) {
                if (done) {
                    return;
                }
                error = lost(this, reason, status, closeCode);
            }
            if (error != null) {
                fail(error);
            }
        }
    }
}
