package ai.piopiy.plugin.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.internal.ws.RealWebSocket;
import okio.ByteString;

/**
 * A local server speaking the Speech service's recognition WebSocket protocol, strictly: the upgrade needs
 * the subscription key (401 otherwise) and a no-dash {@code X-ConnectionId} (400); every client message is
 * parsed from its real framing (CRLF headers and a blank line for text; a two-byte big-endian header length
 * for binary) and must carry {@code Path}, a no-dash {@code X-RequestId} and {@code X-Timestamp}, else the
 * socket is closed with 1002 as the service does. A turn's first {@code audio} message must hold a RIFF
 * header (else close 1007). The end of a turn's audio (an empty {@code audio} body) is answered with
 * {@code speech.endDetected} and {@code turn.end}. Tests script the recognition results.
 */
final class FakeAzureSpeech implements AutoCloseable {

    static final String KEY = "az-speech-key-5d2c8e1f0a";
    private static final Pattern NO_DASH_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    private final MockWebServer server = new MockWebServer();
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    /** When above 0, upgrades (with a good key) are refused with this status. */
    volatile int refuseWith;
    /** When cleared, the end of a turn's audio gets no answer, as from a server that hangs. */
    volatile boolean answerEndOfAudio = true;

    FakeAzureSpeech() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String key = request.getHeaders().get("Ocp-Apim-Subscription-Key");
                if (!KEY.equals(key)) {
                    return new MockResponse.Builder().code(401)
                            .body("{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription key or wrong API endpoint.\"}}")
                            .build();
                }
                String connectionId = request.getHeaders().get("X-ConnectionId");
                if (connectionId == null || !NO_DASH_ID.matcher(connectionId).matches()) {
                    return new MockResponse.Builder().code(400).body("X-ConnectionId must be a no-dash UUID").build();
                }
                if (refuseWith > 0) {
                    return new MockResponse.Builder().code(refuseWith).body("refused by the test").build();
                }
                Connection connection = new Connection(request);
                connections.add(connection);
                return new MockResponse.Builder().webSocketUpgrade(connection).build();
            }
        });
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "ws://127.0.0.1:" + server.getPort() + AzureSttConfig.PATH;
    }

    int requestCount() {
        return server.getRequestCount();
    }

    /** The next connection, once upgraded. */
    Connection nextConnection() throws Exception {
        Connection connection = connections.poll(5, TimeUnit.SECONDS);
        assertThat(connection).as("a connection within 5 s").isNotNull();
        connection.opened.get(5, TimeUnit.SECONDS);
        return connection;
    }

    void assertNoConnection(long millis) throws InterruptedException {
        assertThat(connections.poll(millis, TimeUnit.MILLISECONDS)).as("no further connection").isNull();
    }

    @Override
    public void close() {
        server.close();
    }

    /** A server message in the protocol's text framing. */
    static String message(String path, String requestId, String body) {
        return "X-RequestId: " + requestId + "\r\nContent-Type: application/json; charset=utf-8\r\nPath: " + path + "\r\n\r\n" + body;
    }

    /** A client message as the server parsed it: headers, and the body as text (text frames) or bytes (binary). */
    record ClientMessage(Map<String, String> headers, String text, byte[] audio) {
        String path() {
            return headers.get("path");
        }

        String requestId() {
            return headers.get("x-requestid");
        }
    }

    /** One upgraded connection: what the client sent, and the server's side of the socket. */
    final class Connection extends WebSocketListener {

        final RecordedRequest upgrade;
        final BlockingQueue<ClientMessage> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        /** The close code the client sent, or -1 when the connection broke without one. */
        final CompletableFuture<Integer> ended = new CompletableFuture<>();
        /** Audio bytes per turn (RequestId), the WAV header excluded. */
        final Map<String, AudioBuffer> audio = new ConcurrentHashMap<>();
        /** The WAV header each turn began with. */
        final Map<String, byte[]> wavHeaders = new ConcurrentHashMap<>();
        private final Set<String> endedTurns = ConcurrentHashMap.newKeySet();
        private volatile String protocolViolation;

        Connection(RecordedRequest upgrade) {
            this.upgrade = upgrade;
        }

        /** Sends a message as the service frames it, to the turn {@code requestId}. */
        void send(String path, String requestId, String body) throws Exception {
            assertThat(opened.get(5, TimeUnit.SECONDS).send(message(path, requestId, body))).isTrue();
        }

        void sendRaw(String text) throws Exception {
            assertThat(opened.get(5, TimeUnit.SECONDS).send(text)).isTrue();
        }

        void close(int code, String reason) throws Exception {
            opened.get(5, TimeUnit.SECONDS).close(code, reason);
        }

        /** Drops the TCP connection without a close frame. */
        void drop() throws Exception {
            ((RealWebSocket) opened.get(5, TimeUnit.SECONDS)).failWebSocket(new SocketException("dropped by the test server"), null, false);
        }

        /** The next message, which must have {@code path}. */
        ClientMessage next(String path) throws InterruptedException {
            ClientMessage message = messages.poll(5, TimeUnit.SECONDS);
            assertThat(message).as("a client message (" + path + ") within 5 s").isNotNull();
            assertThat(message.path()).isEqualTo(path);
            return message;
        }

        /** Messages up to the first one with {@code path} (included). */
        List<ClientMessage> until(String path) throws InterruptedException {
            List<ClientMessage> out = new ArrayList<>();
            while (true) {
                ClientMessage message = messages.poll(5, TimeUnit.SECONDS);
                assertThat(message).as("a client message (" + path + ") within 5 s; got " + out.size()).isNotNull();
                out.add(message);
                if (path.equals(message.path())) {
                    return out;
                }
            }
        }

        /** Waits until {@code count} audio bytes of turn {@code requestId} arrived, and returns them. */
        byte[] awaitAudio(String requestId, int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                AudioBuffer turn = audio.get(requestId);
                if (turn != null && turn.size() >= count) {
                    return turn.bytes();
                }
                Thread.sleep(5);
            }
            AudioBuffer turn = audio.get(requestId);
            throw new AssertionError("turn " + requestId + " got " + (turn == null ? 0 : turn.size()) + " audio bytes, not " + count);
        }

        boolean turnEnded(String requestId) {
            return endedTurns.contains(requestId);
        }

        /** Null unless the client broke the protocol (then the socket was closed with 1002 or 1007). */
        String protocolViolation() {
            return protocolViolation;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened.complete(webSocket);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            int blank = text.indexOf("\r\n\r\n");
            if (blank < 0) {
                violate(webSocket, 1002, "a text message without the blank line after its headers");
                return;
            }
            Map<String, String> headers = headers(webSocket, text.substring(0, blank + 2));
            if (headers != null) {
                messages.add(new ClientMessage(headers, text.substring(blank + 4), null));
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            ByteBuffer buffer = bytes.asByteBuffer().order(ByteOrder.BIG_ENDIAN);
            if (buffer.remaining() < 2) {
                violate(webSocket, 1007, "a binary message shorter than its header length");
                return;
            }
            int headerLength = buffer.getShort() & 0xffff;
            if (headerLength > buffer.remaining()) {
                violate(webSocket, 1007, "a header length beyond the message");
                return;
            }
            byte[] head = new byte[headerLength];
            buffer.get(head);
            byte[] body = new byte[buffer.remaining()];
            buffer.get(body);
            Map<String, String> headers = headers(webSocket, new String(head, StandardCharsets.US_ASCII));
            if (headers == null) {
                return;
            }
            if (!"audio".equals(headers.get("path"))) {
                violate(webSocket, 1007, "a binary message with Path " + headers.get("path"));
                return;
            }
            String requestId = headers.get("x-requestid");
            if (!wavHeaders.containsKey(requestId)) {
                if (body.length < 44 || !new String(body, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
                        || !new String(body, 8, 4, StandardCharsets.US_ASCII).equals("WAVE")) {
                    violate(webSocket, 1007, "the turn's first audio message holds no RIFF header");
                    return;
                }
                if (!"audio/x-wav".equals(headers.get("content-type"))) {
                    violate(webSocket, 1007, "the turn's first audio message names no audio/x-wav content type");
                    return;
                }
                wavHeaders.put(requestId, Arrays.copyOf(body, 44));
                audio.put(requestId, new AudioBuffer());
                audio.get(requestId).append(body, 44, body.length - 44);
            } else if (body.length == 0) {
                endedTurns.add(requestId);
                if (answerEndOfAudio) {
                    webSocket.send(message("speech.endDetected", requestId, "{\"Offset\":24100000}"));
                    webSocket.send(message("turn.end", requestId, ""));
                }
            } else {
                audio.get(requestId).append(body, 0, body.length);
            }
            messages.add(new ClientMessage(headers, null, body));
        }

        /** Parses CRLF header lines; names are lowercased. Null (and the socket closed) when a required one is bad. */
        private Map<String, String> headers(WebSocket webSocket, String block) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : block.split("\r\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon < 0) {
                    violate(webSocket, 1002, "a header line without a colon: " + line);
                    return null;
                }
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            String requestId = headers.get("x-requestid");
            if (headers.get("path") == null || headers.get("path").isEmpty()) {
                violate(webSocket, 1002, "Invalid request. Path header was not specified");
                return null;
            }
            if (requestId == null || !NO_DASH_ID.matcher(requestId).matches()) {
                violate(webSocket, 1002, "Invalid request. X-RequestId header value was not specified in no-dash UUID format");
                return null;
            }
            if (headers.get("x-timestamp") == null || !TIMESTAMP.matcher(headers.get("x-timestamp")).matches()) {
                violate(webSocket, 1002, "Invalid request. X-Timestamp header is missing or malformed");
                return null;
            }
            return headers;
        }

        private void violate(WebSocket webSocket, int code, String reason) {
            protocolViolation = reason;
            webSocket.close(code, reason);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            ended.complete(code);
            webSocket.close(1000, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            ended.complete(-1);
        }
    }

    /** A growing byte array, appended to by the socket's reader and read by the test. */
    static final class AudioBuffer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        synchronized void append(byte[] bytes, int offset, int length) {
            out.write(bytes, offset, length);
        }

        synchronized int size() {
            return out.size();
        }

        synchronized byte[] bytes() {
            return out.toByteArray();
        }
    }
}
