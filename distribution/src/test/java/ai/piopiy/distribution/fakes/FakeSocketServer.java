package ai.piopiy.distribution.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * A provider's WebSocket API on 127.0.0.1: every request is upgraded, and the subclass answers each
 * connection's frames as the provider would, on its own, for as long as a call lasts.
 */
public abstract class FakeSocketServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<String> texts = new CopyOnWriteArrayList<>();
    private final MockWebServer server = LocalServer.start(
            request -> new MockResponse.Builder().webSocketUpgrade(new Connection(request)).build());

    /** {@code ws://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "ws://127.0.0.1:" + server.getPort();
    }

    /** A client connected. */
    protected void opened(Connection connection) {}

    /** A text frame from the client, as JSON. */
    protected abstract void text(Connection connection, JsonNode message);

    /** A binary frame from the client. */
    protected void binary(Connection connection, ByteString bytes) {
        throw new AssertionError("unexpected binary frame of " + bytes.size() + " bytes");
    }

    /** The connections clients opened, in order. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** Every text frame clients sent, in order. */
    public List<String> texts() {
        return List.copyOf(texts);
    }

    /** Closes the sockets, then the server (the server's end of a socket whose client is gone would hold its shutdown). */
    @Override
    public void close() {
        for (Connection connection : connections) {
            connection.close(1000, "test over");
        }
        server.close();
    }

    /** The server's end of one WebSocket, with the handshake that opened it. */
    public final class Connection extends WebSocketListener {
        private final RecordedRequest handshake;
        private volatile WebSocket socket;

        Connection(RecordedRequest handshake) {
            this.handshake = handshake;
        }

        public HttpUrl url() {
            return handshake.getUrl();
        }

        public String header(String name) {
            return handshake.getHeaders().get(name);
        }

        /** A query parameter of the handshake, as a number. */
        public int intParameter(String name) {
            return Integer.parseInt(url().queryParameter(name));
        }

        public void send(String text) {
            socket.send(text);
        }

        public void send(ByteString bytes) {
            socket.send(bytes);
        }

        public void close(int code, String reason) {
            WebSocket s = socket;
            if (s != null) {
                s.close(code, reason);
            }
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            socket = webSocket;
            connections.add(this);
            opened(this);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            texts.add(text);
            try {
                text(this, JSON.readTree(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            binary(this, bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
        }
    }
}
