package ai.piopiy.plugin.livekit.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.ServiceException;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ReconnectReason;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.Ping;
import livekit.LivekitRtc.ReconnectResponse;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.slf4j.Logger;

/**
 * One participant's LiveKit signaling connection: binary {@code SignalRequest}/{@code SignalResponse}
 * protobuf frames over a WebSocket on {@code <room url>/rtc} (protocol v0, one publisher and one
 * subscriber peer connection). It joins, keeps the link alive with {@code ping_req} at the interval the
 * join response asks for, resumes the session on a new socket when the link drops ({@code reconnect=1}
 * with the participant sid) and leaves with {@code leave {CLIENT_INITIATED, DISCONNECT}}.
 *
 * <p>Messages after the join response reach the {@link Listener} from OkHttp's reader thread, one at a time,
 * in order. Requests sent while the link is being resumed are queued and flushed once it is back.
 */
public final class SignalClient implements AutoCloseable {

    /** The protocol version a v0 client of this era announces; 16 gets {@code pong_resp} and fast publish. */
    static final int PROTOCOL_VERSION = 16;
    private static final int MAX_QUEUED = 256;

    /** What the room learns from the signaling link. */
    public interface Listener {
        /** The join response, before any later message and before {@link #connect()} returns it. */
        default void onJoined(JoinResponse join) {}

        /** A message after the join response (everything but pongs, which the client consumes). */
        void onMessage(SignalResponse message);

        /** The link dropped and was resumed: the server kept the session; the media side restarts ICE. */
        default void onResumed(ReconnectResponse reconnect) {}

        /** The link is gone for good (not after {@link #close()}); the call cannot go on. */
        void onLost(String reason);
    }

    /** How to reach the room. {@code version} is announced as the client version. */
    public record Options(Duration joinTimeout, Duration reconnectTimeout, String version) {
        public Options {
            requireNonNull(joinTimeout, "joinTimeout is null");
            requireNonNull(reconnectTimeout, "reconnectTimeout is null");
            requireNonNull(version, "version is null");
        }
    }

    private enum State { CONNECTING, JOINED, RESUMING, CLOSED }

    private final OkHttpClient http;
    private final HttpUrl rtcUrl;
    private final ScheduledExecutorService scheduler;
    private final Options options;
    private final Listener listener;
    private final Logger log;
    private final String name;
    private final Object lock = new Object();
    private final Queue<SignalRequest> queued = new ArrayDeque<>();
    private final CompletableFuture<JoinResponse> joined = new CompletableFuture<>();

    private String token;
    private State state = State.CONNECTING;
    private WebSocket socket;
    private String participantSid;
    private ScheduledFuture<?> pinger;
    private long resumeDeadlineNanos;
    private int resumeAttempt;
    private volatile long lastReceivedNanos;
    private volatile long lastRttMillis;

    /**
     * @param url the room URL as the signaling server gave it ({@code wss://host}, {@code https://host} or with a path)
     * @param name a short name for log lines (the call id)
     */
    public SignalClient(OkHttpClient http, String url, String token, ScheduledExecutorService scheduler,
                        Options options, Listener listener, Logger log, String name) {
        this.http = requireNonNull(http, "http is null");
        this.rtcUrl = rtcUrl(requireNonNull(url, "url is null"));
        this.token = requireNonNull(token, "token is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.options = requireNonNull(options, "options is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.log = requireNonNull(log, "log is null");
        this.name = requireNonNull(name, "name is null");
    }

    /** {@code <url>/rtc} over HTTP(S): OkHttp upgrades from there; a trailing slash does not double the path's slash. */
    public static HttpUrl rtcUrl(String url) {
        String u = url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("wss://")) {
            u = "https://" + u.substring(6);
        } else if (lower.startsWith("ws://")) {
            u = "http://" + u.substring(5);
        } else if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new IllegalArgumentException("the room URL must start with wss://, ws://, https:// or http://, got \"" + url + "\"");
        }
        HttpUrl base = HttpUrl.parse(u);
        if (base == null) {
            throw new IllegalArgumentException("not a valid room URL: \"" + url + "\"");
        }
        HttpUrl.Builder b = base.newBuilder().query(null).fragment(null);
        // drop empty segments so "wss://host/" and "wss://host/base/" both end in ".../rtc"
        b.encodedPath("/");
        for (String segment : base.pathSegments()) {
            if (!segment.isEmpty()) {
                b.addPathSegment(segment);
            }
        }
        return b.addPathSegment("rtc").build();
    }

    /** Opens the socket and waits for the join response (the server's first message). */
    public JoinResponse connect() {
        openSocket(null);
        try {
            return joined.get(options.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new ServiceException("livekit", "the room at " + rtcUrl.host() + ":" + rtcUrl.port()
                    + " sent no join response within " + options.joinTimeout().toMillis() + " ms", true, e);
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof ServiceException se) {
                throw se;
            }
            throw new ServiceException("livekit", "could not join the room: " + e.getCause().getMessage(), true, e.getCause());
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new ServiceException("livekit", "interrupted while joining the room", true, e);
        }
    }

    private void openSocket(ReconnectReason resumeReason) {
        HttpUrl.Builder url = rtcUrl.newBuilder()
                .addQueryParameter("auto_subscribe", "1")
                .addQueryParameter("adaptive_stream", "0")
                .addQueryParameter("protocol", Integer.toString(PROTOCOL_VERSION))
                .addQueryParameter("sdk", "java")
                .addQueryParameter("version", options.version())
                .addQueryParameter("os", System.getProperty("os.name"))
                .addQueryParameter("os_version", System.getProperty("os.version"));
        String bearer;
        synchronized (lock) {
            if (resumeReason != null) {
                url.addQueryParameter("reconnect", "1")
                        .addQueryParameter("sid", participantSid)
                        .addQueryParameter("reconnect_reason", Integer.toString(resumeReason.getNumber()));
            }
            bearer = token;
        }
        // the token goes in the header, never in the URL, so no URL in a log or an exception carries it
        Request request = new Request.Builder().url(url.build()).header("Authorization", "Bearer " + bearer).build();
        WebSocket ws = http.newWebSocket(request, new SocketListener(resumeReason != null));
        synchronized (lock) {
            socket = ws;
        }
    }

    /** The participant sid the server gave this client. */
    public String participantSid() {
        synchronized (lock) {
            return participantSid;
        }
    }

    /** The round trip measured by the last ping, in milliseconds (0 before the first pong). */
    public long lastRttMillis() {
        return lastRttMillis;
    }

    /** Sends one request; queued while the link is being resumed, dropped after close. */
    public void send(SignalRequest request) {
        requireNonNull(request, "request is null");
        synchronized (lock) {
            switch (state) {
                case JOINED -> {
                    if (!socket.send(ByteString.of(request.toByteArray()))) {
                        log.debug("[{}] livekit: {} not sent, the socket is closing", name, request.getMessageCase());
                    }
                }
                case CONNECTING, RESUMING -> {
                    if (queued.size() < MAX_QUEUED) {
                        queued.add(request);
                    } else {
                        log.warn("[{}] livekit: dropped {} while the signaling link is down (queue full)", name, request.getMessageCase());
                    }
                }
                case CLOSED -> log.debug("[{}] livekit: {} not sent, the signaling link is closed", name, request.getMessageCase());
            }
        }
    }

    /** Leaves the room (if joined) and closes the socket. Idempotent. */
    @Override
    public void close() {
        WebSocket ws;
        boolean leave;
        synchronized (lock) {
            leave = state == State.JOINED;
            ws = socket;
            if (!stop()) {
                return;
            }
        }
        joined.completeExceptionally(new ServiceException("livekit", "the room connection was closed before the join completed"));
        if (ws == null) {
            return;
        }
        if (leave) {
            ws.send(ByteString.of(SignalRequest.newBuilder().setLeave(LeaveRequest.newBuilder()
                    .setReason(DisconnectReason.CLIENT_INITIATED).setAction(LeaveRequest.Action.DISCONNECT)).build().toByteArray()));
            ws.close(1000, "leave");
        } else {
            ws.cancel();
        }
    }

    private void onJoin(WebSocket ws, JoinResponse join) {
        int interval = join.getPingInterval();
        int timeout = join.getPingTimeout();
        synchronized (lock) {
            if (state != State.CONNECTING || ws != socket) {
                return;
            }
            participantSid = join.getParticipant().getSid();
            state = State.JOINED;
            if (interval > 0) {
                // an older server that asks for no pings gets none; the socket's own liveness is all we have then
                pinger = scheduler.scheduleAtFixedRate(() -> ping(timeout), interval, interval, TimeUnit.SECONDS);
            }
            flushQueued(ws);
        }
        log.debug("[{}] livekit: joined room {} as {} (ping every {} s, timeout {} s)", name,
                join.getRoom().getName(), join.getParticipant().getSid(), interval, timeout);
        listener.onJoined(join);
        joined.complete(join);
    }

    private void flushQueued(WebSocket ws) {
        for (SignalRequest r; (r = queued.poll()) != null; ) {
            ws.send(ByteString.of(r.toByteArray()));
        }
    }

    private void ping(int timeoutSeconds) {
        WebSocket ws;
        synchronized (lock) {
            if (state != State.JOINED) {
                return;
            }
            ws = socket;
        }
        long silentNanos = System.nanoTime() - lastReceivedNanos;
        if (timeoutSeconds > 0 && silentNanos > TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
            log.warn("[{}] livekit: nothing from the server for {} ms (ping timeout {} s); resuming on a new socket",
                    name, TimeUnit.NANOSECONDS.toMillis(silentNanos), timeoutSeconds);
            ws.cancel(); // onFailure resumes
            return;
        }
        ws.send(ByteString.of(SignalRequest.newBuilder()
                .setPingReq(Ping.newBuilder().setTimestamp(System.currentTimeMillis()).setRtt(lastRttMillis)).build().toByteArray()));
    }

    /** The socket went away while joined: resume on a new one, within the reconnect timeout. */
    private void linkDropped(WebSocket ws, String why) {
        synchronized (lock) {
            if (ws != socket || state != State.JOINED) {
                return;
            }
            state = State.RESUMING;
            resumeDeadlineNanos = System.nanoTime() + options.reconnectTimeout().toNanos();
            resumeAttempt = 0;
        }
        log.warn("[{}] livekit: signaling link dropped ({}); resuming", name, why);
        Thread.ofVirtual().name("livekit-resume-" + name).start(this::resume);
    }

    private void resume() {
        boolean expired;
        synchronized (lock) {
            if (state != State.RESUMING) {
                return;
            }
            resumeAttempt++;
            expired = System.nanoTime() > resumeDeadlineNanos;
        }
        if (expired) {
            lost("the signaling link dropped and could not be resumed within " + options.reconnectTimeout().toMillis() + " ms");
            return;
        }
        openSocket(ReconnectReason.RR_SIGNAL_DISCONNECTED);
    }

    private void resumeFailed(WebSocket ws, String why, boolean retry) {
        int attempt;
        synchronized (lock) {
            if (ws != socket || state != State.RESUMING) {
                return;
            }
            attempt = resumeAttempt;
        }
        if (!retry) {
            lost("the server refused to resume the session: " + why);
            return;
        }
        long backoffMillis = Math.min(2_000, 250L << Math.min(attempt - 1, 3));
        log.info("[{}] livekit: resume attempt {} failed ({}); next in {} ms", name, attempt, why, backoffMillis);
        scheduler.schedule(() -> Thread.ofVirtual().start(this::resume), backoffMillis, TimeUnit.MILLISECONDS);
    }

    private void lost(String reason) {
        if (!stop()) {
            return;
        }
        synchronized (lock) {
            if (socket != null) {
                socket.cancel();
            }
        }
        log.warn("[{}] livekit: {}", name, reason);
        listener.onLost(reason);
    }

    /** Ends the session on this side: no more pings, resumes or queued requests. False if it had ended already. */
    private boolean stop() {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return false;
            }
            state = State.CLOSED;
            queued.clear();
            if (pinger != null) {
                pinger.cancel(false);
            }
            return true;
        }
    }

    /**
     * The server ends the session ({@code DISCONNECT}: the room was deleted, the participant removed), asks for
     * a resume on a new socket ({@code RESUME}) or for a rejoin from scratch ({@code RECONNECT}), which would
     * make the agent a new participant with new peer connections: for a phone call that is the end of it.
     */
    private void serverLeft(WebSocket ws, SignalResponse message) {
        LeaveRequest leave = message.getLeave();
        LeaveRequest.Action action = leave.getAction();
        switch (action) {
            case RESUME -> {
                log.info("[{}] livekit: the server asked for a resume ({})", name, leave.getReason());
                ws.cancel();
                linkDropped(ws, "the server asked for a resume");
            }
            case RECONNECT -> lost("the server asked for a full rejoin (leave, reason " + leave.getReason() + ")");
            default -> {
                if (stop()) {
                    listener.onMessage(message);
                }
            }
        }
    }

    private static String describe(Response response) {
        String body = "";
        try {
            if (response.body() != null) {
                body = response.body().string().strip();
            }
        } catch (IOException | IllegalStateException ignored) {
            // the status alone still says what happened
        }
        if (body.length() > 200) {
            body = body.substring(0, 200) + "...";
        }
        return "HTTP " + response.code() + (body.isEmpty() ? "" : " " + body);
    }

    private final class SocketListener extends WebSocketListener {
        private final boolean resuming;
        private boolean first = true;

        SocketListener(boolean resuming) {
            this.resuming = resuming;
        }

        @Override
        public void onMessage(WebSocket ws, ByteString bytes) {
            lastReceivedNanos = System.nanoTime();
            SignalResponse message;
            try {
                message = SignalResponse.parseFrom(bytes.toByteArray());
            } catch (InvalidProtocolBufferException e) {
                log.warn("[{}] livekit: ignored a malformed signaling frame ({} bytes): {}", name, bytes.size(), e.getMessage());
                return;
            }
            if (first && !resuming) {
                if (message.getMessageCase() != SignalResponse.MessageCase.JOIN) {
                    // a real server always answers with join first; anything before it cannot be placed yet
                    log.debug("[{}] livekit: ignored {} before the join response", name, message.getMessageCase());
                    return;
                }
                first = false;
                onJoin(ws, message.getJoin());
                return;
            }
            if (first) {
                first = false;
                if (!resumed(ws, message)) {
                    return;
                }
                if (message.getMessageCase() == SignalResponse.MessageCase.RECONNECT) {
                    return;
                }
            }
            synchronized (lock) {
                if (ws != socket || state == State.CLOSED) {
                    return;
                }
            }
            switch (message.getMessageCase()) {
                case PONG_RESP -> lastRttMillis = Math.max(0, System.currentTimeMillis() - message.getPongResp().getLastPingTimestamp());
                case PONG -> { } // legacy keep-alive answer: receiving it was the point
                case LEAVE -> serverLeft(ws, message);
                case REFRESH_TOKEN -> {
                    synchronized (lock) {
                        token = message.getRefreshToken();
                    }
                    listener.onMessage(message);
                }
                default -> listener.onMessage(message);
            }
        }

        /** The first message on a resumed socket: {@code reconnect} means the session is back; a leave means it is not. */
        private boolean resumed(WebSocket ws, SignalResponse message) {
            if (message.getMessageCase() == SignalResponse.MessageCase.LEAVE) {
                lost("the server would not resume the session (leave, action " + message.getLeave().getAction()
                        + ", reason " + message.getLeave().getReason() + ")");
                return false;
            }
            synchronized (lock) {
                if (ws != socket || state != State.RESUMING) {
                    return false;
                }
                state = State.JOINED;
                flushQueued(ws);
            }
            log.info("[{}] livekit: signaling link resumed", name);
            if (message.getMessageCase() == SignalResponse.MessageCase.RECONNECT) {
                listener.onResumed(message.getReconnect());
            } else {
                listener.onResumed(ReconnectResponse.getDefaultInstance());
            }
            return true;
        }

        @Override
        public void onMessage(WebSocket ws, String text) {
            // LiveKit answers in JSON text frames only to clients that speak JSON; this one speaks protobuf
            log.debug("[{}] livekit: ignored a text frame ({} chars)", name, text.length());
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            ws.close(1000, null);
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            if (!joined.isDone()) {
                joined.completeExceptionally(new ServiceException("livekit",
                        "the room closed the connection before the join response (" + code + " " + reason + ")", true, null));
                return;
            }
            if (resuming && first) {
                resumeFailed(ws, "closed by the server, " + code, true);
                return;
            }
            linkDropped(ws, "closed by the server, " + code + (reason.isEmpty() ? "" : " " + reason));
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, Response response) {
            String why = response != null ? describe(response) : String.valueOf(t.getMessage());
            if (!joined.isDone()) {
                boolean refused = response != null && response.code() >= 400 && response.code() < 500;
                joined.completeExceptionally(new ServiceException("livekit", (refused
                        ? "the room refused the join: " : "could not reach the room at " + rtcUrl.host() + ":" + rtcUrl.port() + ": ")
                        + why, true, t));
                return;
            }
            if (resuming && first) {
                // a 4xx on resume (token expired, participant gone) will not get better by retrying
                boolean retry = response == null || response.code() >= 500;
                resumeFailed(ws, why, retry);
                return;
            }
            linkDropped(ws, why);
        }
    }
}
