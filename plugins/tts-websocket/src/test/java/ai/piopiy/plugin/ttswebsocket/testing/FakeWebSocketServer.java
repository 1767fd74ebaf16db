package ai.piopiy.plugin.ttswebsocket.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.internal.ws.RealWebSocket;
import okio.ByteString;

/**
 * A WebSocket server on 127.0.0.1 whose tests script each side of the exchange: they accept or
 * refuse upgrades, read what the client sent (text and binary) and answer with frames of the
 * provider's protocol.
 */
public final class FakeWebSocketServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final BlockingQueue<ServerSocket> opened = new LinkedBlockingQueue<>();

    public FakeWebSocketServer() {
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "ws://127.0.0.1:" + server.getPort();
    }

    /** The next connection attempt is upgraded to a WebSocket. */
    public void acceptSocket() {
        server.enqueue(new MockResponse.Builder().webSocketUpgrade(new ServerSocket()).build());
    }

    /** The next connection attempt is refused with an HTTP status and body. */
    public void refuse(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build());
    }

    /** The next upgrade request (its path, query and headers). */
    public RecordedRequest takeHandshake() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a WebSocket handshake within 5 s").isNotNull();
        return request;
    }

    /** The next socket the server opened. */
    public ServerSocket takeSocket() throws InterruptedException {
        ServerSocket socket = opened.poll(5, TimeUnit.SECONDS);
        assertThat(socket).as("an open WebSocket within 5 s").isNotNull();
        return socket;
    }

    public int handshakeCount() {
        return server.getRequestCount();
    }

    @Override
    public void close() {
        server.close();
    }

    /** The server's end of one WebSocket. */
    public final class ServerSocket extends WebSocketListener {

        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final BlockingQueue<ByteString> receivedBinary = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> clientClose = new CompletableFuture<>();
        private volatile WebSocket socket;

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            socket = webSocket;
            opened.add(this);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            received.add(text);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            receivedBinary.add(bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            clientClose.complete(code);
            webSocket.close(1000, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            clientClose.complete(-1);
        }

        /** The next text message from the client, as JSON. */
        public JsonNode nextMessage() throws InterruptedException {
            String text = received.poll(5, TimeUnit.SECONDS);
            assertThat(text).as("a client message within 5 s").isNotNull();
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("client sent invalid JSON: " + text, e);
            }
        }

        /** The next binary message from the client (audio sent to a speech-to-text server). */
        public ByteString nextBinary() throws InterruptedException {
            ByteString bytes = receivedBinary.poll(5, TimeUnit.SECONDS);
            assertThat(bytes).as("a binary client message within 5 s").isNotNull();
            return bytes;
        }

        public void assertNoMessage(long millis) throws InterruptedException {
            assertThat(received.poll(millis, TimeUnit.MILLISECONDS)).as("no further client message").isNull();
        }

        public void send(String text) {
            assertThat(socket.send(text)).isTrue();
        }

        /** A binary frame (audio from a text-to-speech server). */
        public void send(ByteString bytes) {
            assertThat(socket.send(bytes)).isTrue();
        }

        public void send(JsonNode json) {
            send(json.toString());
        }

        /** Sends if the socket is still open; false once it is closing. */
        public boolean trySend(String text) {
            return socket.send(text);
        }

        /** Closes the socket as a provider would, with a close frame. */
        public void close(int code, String reason) {
            socket.close(code, reason);
        }

        /** Drops the TCP connection without a close frame. */
        public void drop() {
            // a server-side socket has no call to cancel; failing it closes the TCP connection without a close frame
            ((RealWebSocket) socket).failWebSocket(new SocketException("connection dropped by the test server"), null, false);
        }

        /** The close code the client sent, or -1 when the connection broke; waits up to 5 s. */
        public int awaitClientClose() throws Exception {
            return clientClose.get(5, TimeUnit.SECONDS);
        }

        public boolean clientClosed() {
            return clientClose.isDone();
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
