package ai.piopiy.agent.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.SignalingException;
import ai.piopiy.SignalingException.Reason;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.thread.EventThread;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.json.JSONObject;
import org.slf4j.Logger;

/**
 * The agent's Socket.IO connection to the signaling server.
 *
 * <p>{@link #open()} makes the first connection and fails if it cannot be made; after that the
 * connection is kept up until {@link #close()}: socket.io-client reconnects with backoff after a drop,
 * and where it would give up (the server disconnected or refused us on purpose) we try again after the
 * longest backoff delay. Event handlers run on socket.io-client's single event thread and must not block.
 */
public final class SignalingConnection implements AutoCloseable {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final String url;
    private final String agentId;
    private final String agentToken;
    private final Duration connectTimeout;
    private final Duration reconnectDelayMax;
    private final Logger log;
    private final OkHttpClient http;
    private final Socket socket;
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();

    /**
     * @param onJoinRoom receives the {@code join_room} argument (an org.json value), on the event thread
     * @param onCancelRoom receives the {@code cancel_room} argument, on the event thread
     */
    public SignalingConnection(String url, String agentId, String agentToken, Duration connectTimeout,
                               Duration reconnectDelayMin, Duration reconnectDelayMax,
                               Consumer<Object> onJoinRoom, Consumer<Object> onCancelRoom, Logger log) {
        this.url = requireNonNull(url, "url is null");
        this.agentId = requireNonNull(agentId, "agentId is null");
        this.agentToken = requireNonNull(agentToken, "agentToken is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.reconnectDelayMax = requireNonNull(reconnectDelayMax, "reconnectDelayMax is null");
        requireNonNull(reconnectDelayMin, "reconnectDelayMin is null");
        requireNonNull(onJoinRoom, "onJoinRoom is null");
        requireNonNull(onCancelRoom, "onCancelRoom is null");
        this.log = requireNonNull(log, "log is null");

        // a long poll waits up to the server's ping interval (25 s by default), beyond OkHttp's 10 s default
        // virtual threads: they never keep the JVM alive, so close() need not shut them down, which made
        // OkHttp reject engine.io's last requests synchronously, and a polling engine.io closing then
        // recursed into itself until the stack overflowed (seen against a server without WebSocket)
        Dispatcher dispatcher = new Dispatcher(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("piopiy-signaling-http-", 0).factory()));
        OkHttpClient.Builder client = new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(1, TimeUnit.MINUTES);
        String scheme = URI.create(url).getScheme();
        if ("http".equalsIgnoreCase(scheme) || "ws".equalsIgnoreCase(scheme)) {
            // no TLS to set up for a plain-text server: OkHttp would otherwise read the JDK's trusted
            // certificates now (100 ms and more of a start-up spent on the same two cores)
            client.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        this.http = client.build();
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(true)
                .setReconnectionDelay(reconnectDelayMin.toMillis())
                .setReconnectionDelayMax(reconnectDelayMax.toMillis())
                .setTimeout(connectTimeout.toMillis())
                .setAuth(Map.of("agent_id", agentId, "token", agentToken))
                .build();
        options.callFactory = http;
        options.webSocketFactory = (request, listener) -> http.newWebSocket(request, new CloseReplyingListener(listener));
        this.socket = IO.socket(URI.create(url), options);

        socket.on(Socket.EVENT_CONNECT, _ -> onConnect());
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> onConnectError(args.length > 0 ? args[0] : null));
        socket.on(Socket.EVENT_DISCONNECT, args -> onDisconnect(args.length > 0 ? String.valueOf(args[0]) : "unknown"));
        socket.on("join_room", args -> dispatch(onJoinRoom, args));
        socket.on("cancel_room", args -> dispatch(onCancelRoom, args));
    }

    /** Connects and waits for the server to accept the agent. */
    public void open() throws SignalingException, InterruptedException {
        socket.connect();
        try {
            // socket.io-client times the attempt out itself; this only guards against it never answering
            firstConnect.get(connectTimeout.toMillis() + CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            close();
            throw (SignalingException) e.getCause();
        } catch (TimeoutException e) {
            close();
            throw new SignalingException(Reason.UNREACHABLE, "no answer from the signaling server at " + url
                    + " within " + connectTimeout.toMillis() + " ms", null);
        } catch (InterruptedException e) {
            close();
            throw e;
        }
    }

    public boolean connected() {
        return socket.connected();
    }

    /** Disconnects (no new calls arrive after this returns) and stops the HTTP client's threads. */
    @Override
    public void close() {
        if (closing.getAndSet(true)) {
            return;
        }
        firstConnect.completeExceptionally(
                new SignalingException(Reason.UNREACHABLE, "the agent was shut down while connecting to " + url, null));
        socket.close();
        // socket.close() runs on the event thread; a task queued behind it runs once the disconnect packet
        // and the transport's close are handed to OkHttp
        CountDownLatch handedOver = new CountDownLatch(1);
        EventThread.nextTick(handedOver::countDown);
        try {
            if (!handedOver.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("signaling disconnect did not finish within {} ms", CLOSE_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.connectionPool().evictAll();
    }

    private void onConnect() {
        if (firstConnect.complete(null)) {
            log.info("connected to signaling server {} as agent {}", url, agentId);
        } else {
            log.info("reconnected to signaling server {}", url);
        }
    }

    private void onConnectError(Object error) {
        SignalingException failure = describe(error);
        if (firstConnect.completeExceptionally(failure) || closing.get()) {
            return;
        }
        log.warn("reconnecting: {}", failure.getMessage());
        if (failure.reason() == Reason.REJECTED) {
            // socket.io-client does not retry a refused handshake
            retryLater();
        }
    }

    private void onDisconnect(String reason) {
        if (closing.get()) {
            return;
        }
        log.warn("lost the signaling connection ({}); reconnecting, calls in progress go on", reason);
        if ("io server disconnect".equals(reason)) {
            // the server dropped us on purpose, after which socket.io-client does not reconnect by itself
            retryLater();
        }
    }

    private void retryLater() {
        Thread.ofVirtual().name("piopiy-signaling-retry").start(() -> {
            try {
                Thread.sleep(reconnectDelayMax);
            } catch (InterruptedException e) {
                return;
            }
            if (!closing.get()) {
                socket.connect();
            }
        });
    }

    private SignalingException describe(Object error) {
        return switch (error) {
            case JSONObject refusal -> {
                // a Socket.IO v4 server refuses a handshake with {message, data}
                String detail = refusal.optString("message", "no reason given");
                Object data = refusal.opt("data");
                if (data != null && data != JSONObject.NULL) {
                    detail += " (data: " + data + ")";
                }
                yield new SignalingException(Reason.REJECTED, "the signaling server at " + url + " rejected agent "
                        + agentId + ": " + withoutToken(detail), null);
            }
            case Throwable transportFailure -> new SignalingException(Reason.UNREACHABLE,
                    "cannot reach the signaling server at " + url + ": " + withoutToken(causes(transportFailure)),
                    transportFailure);
            case null -> new SignalingException(Reason.UNREACHABLE,
                    "cannot reach the signaling server at " + url + ": no reason given", null);
            default -> new SignalingException(Reason.REJECTED, "the signaling server at " + url + " rejected agent "
                    + agentId + ": " + withoutToken(String.valueOf(error)), null);
        };
    }

    private static String causes(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            // OkHttp wraps a refused connection in another ConnectException with the same story
            if (cause.getMessage() == null || !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause);
            }
            if (cause == cause.getCause()) {
                break;
            }
        }
        return text.toString();
    }

    private String withoutToken(String text) {
        return agentToken.isEmpty() ? text : text.replace(agentToken, "****");
    }

    private void dispatch(Consumer<Object> handler, Object[] args) {
        boolean acked = args.length > 0 && args[args.length - 1] instanceof Ack;
        Object payload = args.length > (acked ? 1 : 0) ? args[0] : null;
        try {
            handler.accept(payload);
        } finally {
            // a server that asked for an acknowledgement gets an empty one, as python-socketio sends
            if (acked) {
                ((Ack) args[args.length - 1]).call();
            }
        }
    }
}
