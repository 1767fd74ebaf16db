package ai.piopiy.plugin.ttswebsocket;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * One service's OkHttp WebSocket client. Each open socket keeps a reader thread for its life; here
 * those are virtual threads of the client's own executor, with no dispatcher limits, so a thousand
 * calls cost a thousand virtual threads. {@link #close()} stops them.
 *
 * <p>The OkHttp client itself is built on the first {@link #open}: building one reads the JDK's trusted
 * certificates (100 ms and more at start-up), which a runtime starting up does not need before its
 * first call; {@code piopiy run} reads them in the background once it is ready.
 */
public final class WebSocketClient implements AutoCloseable {

    private final ExecutorService threads;
    private final OkHttpClient.Builder builder;
    private OkHttpClient client; // guarded by this; built on first use

    /**
     * @param threadPrefix names the reader threads ({@code cartesia-0}, ...)
     * @param pingInterval how often to ping an open socket, to find one that died silently; zero for never
     * @param closeTimeout how long a socket we close waits for the server's close frame before it is cut
     */
    public WebSocketClient(String threadPrefix, Duration pingInterval, Duration closeTimeout) {
        this(threadPrefix, pingInterval, closeTimeout, Duration.ofSeconds(10), Duration.ZERO);
    }

    /**
     * @param connectTimeout limit for the TCP connect
     * @param handshakeTimeout limit for the whole upgrade, zero for none; OkHttp stops applying it once the socket is open
     */
    public WebSocketClient(String threadPrefix, Duration pingInterval, Duration closeTimeout, Duration connectTimeout,
            Duration handshakeTimeout) {
        requireNonNull(threadPrefix, "threadPrefix is null");
        this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadPrefix + "-", 0).factory());
        Dispatcher dispatcher = new Dispatcher(threads);
        dispatcher.setMaxRequests(Integer.MAX_VALUE);
        dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
        this.builder = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectTimeout(requireNonNull(connectTimeout, "connectTimeout is null"))
                .callTimeout(requireNonNull(handshakeTimeout, "handshakeTimeout is null"))
                .readTimeout(Duration.ZERO)
                .pingInterval(requireNonNull(pingInterval, "pingInterval is null"))
                .webSocketCloseTimeout(requireNonNull(closeTimeout, "closeTimeout is null"));
    }

    public WebSocket open(Request request, WebSocketListener listener) {
        return client().newWebSocket(request, listener);
    }

    private synchronized OkHttpClient client() {
        if (client == null) {
            client = builder.build();
        }
        return client;
    }

    /** Runs callbacks that cannot come from a socket's reader, on the same kind of thread. */
    public Executor callbacks() {
        return threads;
    }

    @Override
    public void close() {
        threads.shutdownNow();
        OkHttpClient built;
        synchronized (this) {
            built = client;
        }
        if (built != null) {
            built.connectionPool().evictAll();
        }
    }
}
