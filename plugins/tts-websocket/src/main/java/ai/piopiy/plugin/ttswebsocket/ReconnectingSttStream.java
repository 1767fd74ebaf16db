package ai.piopiy.plugin.ttswebsocket;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStreamSpec;
import java.time.Duration;
import java.util.ArrayDeque;
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
 * The state machine of a live speech-to-text stream over a WebSocket that is reopened when it drops: audio
 * waits in a bounded buffer while (re)connecting and is replayed once the socket is up; a drop is retried
 * with a doubling, jittered backoff until the attempts run out; {@link #close()} sends the provider's
 * closing message and waits (up to a deadline) for the provider to end the stream; a refusal that a new
 * connection would meet again is fatal at once. A provider fills the hooks: the closing message, what a
 * fresh socket needs, how to read a text message, and which ends are refusals.
 *
 * <p>Threads: the pipeline calls {@code sendAudio} and friends; OkHttp calls back on one reader thread per
 * socket; timers run on the host scheduler. State is guarded by {@link #lock}; listener calls are made under
 * {@code emitLock} (taken before {@code lock}, never after) so that the listener sees one call at a time
 * across reconnections, and nothing once the stream finished. Callbacks of a socket that is no longer the
 * current one are ignored. Hooks marked "under lock" must not block.
 */
public abstract class ReconnectingSttStream implements LiveSttStream {

    /**
     * @param closeTimeout how long {@code close()} waits for the provider to end the stream
     * @param reconnectAttempts reconnections tried in a row after the socket drops before the stream fails
     * @param reconnectBackoff the wait before the first reconnection, doubled for each further one
     * @param reconnectBuffer how much audio is kept while (re)connecting; older audio is dropped
     */
    public record Limits(Duration closeTimeout, int reconnectAttempts, Duration reconnectBackoff, Duration reconnectBuffer) {
        public Limits {
            requireNonNull(closeTimeout, "closeTimeout is null");
            requireNonNull(reconnectBackoff, "reconnectBackoff is null");
            requireNonNull(reconnectBuffer, "reconnectBuffer is null");
        }
    }

    private static final long NONE = Long.MIN_VALUE;
    /** A connection that lived this long (or delivered a message) worked; its drop starts a fresh count of attempts. */
    private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    protected final ServiceResources resources;
    protected final ScheduledExecutorService scheduler;
    protected final Logger log;
    protected final String callId;
    protected final SttStreamSpec spec;
    /** Guards the state of this class and of subclasses. */
    protected final Object lock = new Object();
    private final Object emitLock = new Object();
    private final Limits limits;
    private final Request request;
    private final SttListener listener;
    private final int bufferLimitBytes;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    // everything below is guarded by lock
    private WebSocket socket; // connecting or open; null while waiting to reconnect and once finished
    private boolean open;
    private long openedAtNanos;
    private boolean heardFromServer;
    private int failedAttempts;
    private final ArrayDeque<ByteString> pending = new ArrayDeque<>();
    private int pendingBytes;
    private boolean droppingPending;
    private long speechStoppedNanos = NONE;
    private boolean closing;
    private boolean done;
    private ScheduledFuture<?> reconnect;
    private ScheduledFuture<?> closeDeadline;

    protected ReconnectingSttStream(ServiceResources resources, ScheduledExecutorService scheduler, Limits limits,
            Request request, SttStreamSpec spec, SttListener listener) {
        this.resources = requireNonNull(resources, "resources is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.request = requireNonNull(request, "request is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.log = resources.logger();
        this.callId = spec.callId();
        this.bufferLimitBytes = spec.format().bytesPer((int) Math.min(Integer.MAX_VALUE, limits.reconnectBuffer().toMillis()));
    }

    // ---- hooks

    /** The text message that asks the provider to finish the stream ({@code CloseStream}, {@code Terminate}). */
    protected abstract String closeMessage();

    /** A socket is up and the buffered audio was replayed: send what it needs (under lock). */
    protected abstract void connected(WebSocket ws);

    /** A text message from the current socket; report through {@link #emit} (not under lock). */
    protected abstract void onText(WebSocket ws, String text);

    /**
     * The error for an end that a new connection would meet again (a rejected key, a refused request), or
     * null when reconnecting may help.
     *
     * @param closeCode the provider's close code, 0 when there was none
     * @param status the HTTP status of a refused upgrade, 0 for any other end of the connection
     */
    protected abstract ServiceException refusal(String reason, int closeCode, int status);

    /** {@link #close()} was called and nothing more will be sent but the closing message (under lock). */
    protected void closing() {}

    /** The current socket is gone, for a reconnection or for good (under lock). */
    protected void disconnected() {}

    /** Why an upgrade or a connection failed, in words for a log line and an error, without secrets. */
    protected String failure(Throwable t, Response response) {
        return WebSocketFailures.of(resources, t, response).getMessage();
    }

    /** What to log about a fresh connection's upgrade response (a request id), or empty. */
    protected String describeUpgrade(Response response) {
        return "";
    }

    // ---- the SttStream

    /** Opens the first connection; audio sent before it is up waits in the reconnect buffer. */
    @Override
    public final void start() {
        synchronized (lock) {
            connect();
        }
    }

    /** Completes once the stream let go of its connection, after a close, a cancel or a fatal error. */
    @Override
    public final CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public final void close() {
        synchronized (lock) {
            if (closing || done) {
                return;
            }
            closing();
            closing = true;
            closeDeadline = scheduler.schedule(this::closeDeadlinePassed, limits.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (open) {
                socket.send(closeMessage());
            } else if (socket == null) {
                // waiting to reconnect: there is no connection to flush through
                log.debug("{} stream of call {} closed while reconnecting; {} buffered bytes dropped",
                        resources.provider(), callId, pendingBytes);
                finish();
            }
            // else a connection is being opened: it replays the buffer and sends the closing message
        }
    }

    /** Drops the connection at once, without waiting for results (service shutdown). */
    @Override
    public final void cancel() {
        synchronized (lock) {
            if (socket != null) {
                socket.cancel();
            }
            finish();
        }
    }

    // ---- for subclasses (under lock)

    /** True once {@link #close()} was called or the stream ended: audio and control messages are no longer sent. */
    protected final boolean closingOrDone() {
        return closing || done;
    }

    /** Sends audio now, or keeps it for the next connection. */
    protected final void sendAudioFrame(ByteString frame) {
        if (open && socket.send(frame)) {
            return;
        }
        pending.addLast(frame);
        pendingBytes += frame.size();
        while (pendingBytes > bufferLimitBytes && !pending.isEmpty()) {
            pendingBytes -= pending.removeFirst().size();
            if (!droppingPending) {
                droppingPending = true;
                log.warn("{} stream of call {}: more than {} ms of audio waiting for the connection; dropping the oldest",
                        resources.provider(), callId, limits.reconnectBuffer().toMillis());
            }
        }
    }

    /** Sends a control message if a socket is open; false when there is none (the caller keeps it for {@link #connected}). */
    protected final boolean sendIfOpen(String text) {
        return open && socket.send(text);
    }

    /** The VAD heard the caller stop: the next final measures the time to first byte from here. */
    protected final void markSpeechStopped() {
        speechStoppedNanos = resources.clock().getAsLong();
    }

    /** A non-empty final arrived: records the time since the caller stopped, once per stop (not under lock). */
    protected final void finalArrived() {
        long stoppedAt;
        synchronized (lock) {
            stoppedAt = speechStoppedNanos;
            speechStoppedNanos = NONE;
        }
        if (stoppedAt != NONE) {
            resources.metrics().record(new Metric.TimeToFirstByte(resources.service(), resources.clock().getAsLong() - stoppedAt));
        }
    }

    /** The provider ended the stream after the closing message: every result has been delivered (not under lock). */
    protected final void endedByProvider(WebSocket ws) {
        synchronized (lock) {
            if (closing && ws == socket) {
                ws.close(1000, null);
                finish();
            }
        }
    }

    /** True when {@code ws} is the current socket (under lock). */
    protected final boolean isCurrent(WebSocket ws) {
        return ws == socket;
    }

    // ---- listener calls

    /** Delivers an event unless {@code from} stopped being the current socket or the stream finished. */
    protected final void emit(WebSocket from, Consumer<SttListener> event) {
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
            log.warn("{} stream of call {} failed: {}", resources.provider(), callId, error.getMessage());
            listener.onError(error);
        }
    }

    // ---- connection lifecycle (all called with lock held)

    private void connect() {
        open = false;
        heardFromServer = false;
        socket = resources.client().open(request, new Connection());
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
        connected(ws);
        if (closing) {
            ws.send(closeMessage());
        }
    }

    /**
     * The current socket is gone. Returns the error to report when the stream cannot go on, or null when a
     * reconnection was scheduled (or the stream was closing anyway).
     */
    private ServiceException lost(String reason, int closeCode, int status) {
        boolean wasOpen = open;
        socket = null;
        open = false;
        disconnected();
        if (closing) {
            log.debug("{} connection of call {} ended while closing: {}", resources.provider(), callId, reason);
            finish();
            return null;
        }
        ServiceException refusal = refusal(reason, closeCode, status);
        if (refusal != null) {
            return refusal;
        }
        if (wasOpen && (heardFromServer || resources.clock().getAsLong() - openedAtNanos >= STABLE_NANOS)) {
            failedAttempts = 0;
        }
        failedAttempts++;
        if (failedAttempts > limits.reconnectAttempts()) {
            return new ServiceException(resources.service(), "lost the connection to " + resources.provider()
                    + " and could not reconnect after " + limits.reconnectAttempts() + " attempts; last: " + reason, true, null);
        }
        long backoff = Math.min(MAX_BACKOFF_MILLIS,
                limits.reconnectBackoff().toMillis() << Math.min(failedAttempts - 1, 20)); // no shift past the cap
        long delay = backoff + ThreadLocalRandom.current().nextLong(backoff / 5 + 1); // spread calls that dropped together
        log.warn("{} connection of call {} lost ({}); reconnecting in {} ms (attempt {} of {})",
                resources.provider(), callId, reason, delay, failedAttempts, limits.reconnectAttempts());
        reconnect = scheduler.schedule(this::reconnectNow, delay, TimeUnit.MILLISECONDS);
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
            log.debug("{} did not end the stream of call {} within {} ms of {}; closing it",
                    resources.provider(), callId, limits.closeTimeout().toMillis(), closeMessage());
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
        disconnected();
        cancel(reconnect);
        cancel(closeDeadline);
        finished.complete(null);
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private final class Connection extends WebSocketListener {

        @Override
        public void onOpen(WebSocket ws, Response response) {
            synchronized (lock) {
                if (ws != socket) {
                    ws.cancel();
                    return;
                }
                log.debug("{} stream of call {} connected{}", resources.provider(), callId, describeUpgrade(response));
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
            log.debug("{} stream of call {}: ignoring a binary message of {} bytes", resources.provider(), callId, bytes.size());
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            // forget the socket before answering the close, so audio sent from now on waits for the next one
            ended(ws, "closed by " + resources.provider() + " with code " + code
                    + (reason.isEmpty() ? "" : ": " + resources.redact(reason)), code, 0);
            ws.close(1000, null);
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            ended(ws, "closed with code " + code, code, 0);
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, Response response) {
            ended(ws, failure(t, response), 0, response == null ? 0 : response.code());
        }

        private void ended(WebSocket ws, String reason, int closeCode, int status) {
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
