package ai.piopiy.plugin.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * A local server speaking Deepgram's live protocol as documented: checks the {@code Token} header (401 with
 * {@code dg-error}, {@code dg-request-id} and an {@code INVALID_AUTH} body otherwise), records every frame,
 * answers {@code Finalize} with a {@code from_finalize} final and {@code CloseStream} with a last final,
 * {@code Metadata} and close 1000. Tests script everything else through {@link Connection#send}.
 */
final class FakeDeepgram implements AutoCloseable {

    static final String KEY = "dg-secret-4c1f9e07b2";

    private final MockWebServer server = new MockWebServer();
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    /** When set, every connection is closed with 1011 right after the upgrade. */
    volatile boolean dropOnOpen;
    /** When cleared, a refused key gets its reason only in the body (the docs promise the header too). */
    volatile boolean errorHeader = true;
    /** When set, CloseStream gets no answer, as from a server that hangs. */
    volatile boolean ignoreCloseStream;
    /** When above 0, upgrades are refused with this status (after the key check). */
    volatile int refuseWith;

    FakeDeepgram() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String requestId = UUID.randomUUID().toString();
                if (!("Token " + KEY).equals(request.getHeaders().get("Authorization"))) {
                    MockResponse.Builder refusal = new MockResponse.Builder().code(401);
                    if (errorHeader) {
                        refusal.addHeader("dg-error", "Invalid credentials.");
                    }
                    return refusal
                            .addHeader("dg-request-id", requestId)
                            .addHeader("Content-Type", "application/json")
                            .body("{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\",\"request_id\":\""
                                    + requestId + "\"}")
                            .build();
                }
                if (refuseWith > 0) {
                    return new MockResponse.Builder()
                            .code(refuseWith)
                            .addHeader("dg-error", refuseWith == 400 ? "Bad request: unknown model" : "Service unavailable")
                            .addHeader("dg-request-id", requestId)
                            .build();
                }
                Connection connection = new Connection(request, dropOnOpen, ignoreCloseStream);
                connections.add(connection);
                return new MockResponse.Builder()
                        .addHeader("dg-request-id", requestId)
                        .webSocketUpgrade(connection)
                        .build();
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    String url() {
        return "ws://127.0.0.1:" + server.getPort() + "/v1/listen";
    }

    int requestCount() {
        return server.getRequestCount();
    }

    /** The next WebSocket connection, once its upgrade completed. */
    Connection nextConnection() throws Exception {
        Connection connection = connections.poll(5, TimeUnit.SECONDS);
        assertThat(connection).as("a connection within 5 s").isNotNull();
        connection.opened.get(5, TimeUnit.SECONDS);
        return connection;
    }

    @Override
    public void close() {
        server.close();
    }

    static String results(String transcript, boolean isFinal, boolean speechFinal, boolean fromFinalize) {
        return "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":1.52,\"start\":12.08,\"is_final\":" + isFinal
                + ",\"speech_final\":" + speechFinal + ",\"channel\":{\"alternatives\":[{\"transcript\":\"" + transcript
                + "\",\"confidence\":0.98,\"words\":[]}]},\"metadata\":{\"request_id\":\"01a03ac2-b34c-7433-9df5-62b0600b10bf\","
                + "\"model_info\":{\"name\":\"2-general-nova\",\"version\":\"2024-01-09.29447\",\"arch\":\"nova-2\"},"
                + "\"model_uuid\":\"7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b\"},\"from_finalize\":" + fromFinalize + "}";
    }

    static final String SPEECH_STARTED = "{\"type\":\"SpeechStarted\",\"channel\":[0,1],\"timestamp\":12.08}";
    static final String UTTERANCE_END = "{\"type\":\"UtteranceEnd\",\"channel\":[0,1],\"last_word_end\":13.1}";
    static final String METADATA = "{\"type\":\"Metadata\",\"transaction_key\":\"deprecated\","
            + "\"request_id\":\"01a03ac3-92a1-79f0-ad85-2cee59754422\",\"sha256\":\"incomplete\","
            + "\"created\":\"2026-08-25T21:11:31.685Z\",\"duration\":4.26,\"channels\":1}";

    /** One upgraded connection: what the client sent, and the server side of the socket. */
    static final class Connection extends WebSocketListener {

        final RecordedRequest request;
        /** Binary frames as {@link ByteString}, text frames as {@link String}, in arrival order. */
        final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        /** The close code the client sent, or -1 when the connection failed without a close frame. */
        final CompletableFuture<Integer> ended = new CompletableFuture<>();
        private final boolean dropOnOpen;
        private final boolean ignoreCloseStream;

        Connection(RecordedRequest request, boolean dropOnOpen, boolean ignoreCloseStream) {
            this.request = request;
            this.dropOnOpen = dropOnOpen;
            this.ignoreCloseStream = ignoreCloseStream;
        }

        void send(String text) throws Exception {
            opened.get(5, TimeUnit.SECONDS).send(text);
        }

        /** Ends the connection from the server side, as Deepgram does on an idle or internal timeout. */
        void drop() throws Exception {
            opened.get(5, TimeUnit.SECONDS).close(1011, "Deepgram did not provide a response message within the timeout window. See https://dpgr.am/net0000");
        }

        /** The next frame, which must be of {@code type}: {@link ByteString} for audio, {@link String} for text. */
        <T> T nextFrame(Class<T> type) throws InterruptedException {
            Object frame = frames.poll(5, TimeUnit.SECONDS);
            assertThat(frame).as("a frame within 5 s").isNotNull().isInstanceOf(type);
            return type.cast(frame);
        }

        @Override
        public void onOpen(WebSocket webSocket, okhttp3.Response response) {
            opened.complete(webSocket);
            if (dropOnOpen) {
                webSocket.close(1011, "Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001");
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            frames.add(bytes);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            frames.add(text);
            if (text.contains("\"Finalize\"")) {
                webSocket.send(results("finalized words", true, false, true));
            } else if (text.contains("\"CloseStream\"") && !ignoreCloseStream) {
                webSocket.send(results("last words", true, true, false));
                webSocket.send(METADATA);
                webSocket.close(1000, null);
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            ended.complete(code);
            webSocket.close(1000, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, okhttp3.Response response) {
            ended.complete(-1);
        }
    }
}
