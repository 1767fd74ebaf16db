import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The signaling server of the AOT training run: just enough of Socket.IO over Engine.IO v4 for an agent
 * to connect as it does to the real server (the long-polling handshake, CONNECT and its acknowledgement,
 * then the upgrade to a WebSocket: probe, upgrade, quiet), so that the training goes through the whole
 * start-up of {@code piopiy run}, up to ready for calls, and the cache holds the classes of the signaling
 * client and of its upgrade probe too. The real signaling server, and the tests' stand-in (npm
 * socket.io), speak the whole protocol; this one is plain JDK, so that building the runtime needs no
 * Node.js.
 *
 * <p>Run with {@code java SignalingStandIn.java}; prints {@code port N} once listening, and exits when
 * its standard input closes.
 */
public final class SignalingStandIn {

    private static final char SEPARATOR = '\u001e';
    /** RFC 6455's key suffix for the handshake's Sec-WebSocket-Accept. */
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    /** Packets for the agent while it polls. */
    private final BlockingQueue<String> toClient = new LinkedBlockingQueue<>();

    public static void main(String[] args) throws IOException {
        SignalingStandIn standIn = new SignalingStandIn();
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> standIn.serve(socket));
                } catch (IOException e) {
                    // closed: the training is over
                }
            }
        });
        System.out.println("port " + server.getLocalPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the training script closes our standard input
        }
        server.close();
    }

    /** One connection: HTTP requests (kept alive) until one of them upgrades it to a WebSocket. */
    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                Request request = Request.read(in);
                if (request == null) {
                    return;
                }
                if (request.query().contains("transport=websocket")) {
                    webSocket(request, in, out);
                    return;
                }
                polling(request, in, out);
            }
        } catch (IOException e) {
            // the agent went away
        }
    }

    private void polling(Request request, InputStream in, OutputStream out) throws IOException {
        if (!request.query().contains("transport=polling")) {
            reply(out, 400, "unknown transport");
        } else if (request.method().equals("POST")) {
            String body = new String(in.readNBytes(request.contentLength()), StandardCharsets.UTF_8);
            for (String packet : body.split(String.valueOf(SEPARATOR))) {
                if (packet.startsWith("40")) {
                    // Socket.IO CONNECT (with the agent's auth): accepted
                    toClient.add("40{\"sid\":\"training-socket\"}");
                }
            }
            reply(out, 200, "ok");
        } else if (!request.query().contains("sid=")) {
            reply(out, 200, "0{\"sid\":\"training\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,"
                    + "\"pingTimeout\":20000,\"maxPayload\":1000000}");
        } else {
            String packet;
            try {
                packet = toClient.poll(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                packet = null;
            }
            // a long poll with nothing to say ends with a no-op packet
            reply(out, 200, packet == null ? "6" : packet);
        }
    }

    private static void reply(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Bad Request") + "\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** The upgraded transport: answers the probe, takes the upgrade, then stays quiet until closed. */
    private void webSocket(Request request, InputStream in, OutputStream out) throws IOException {
        String key = request.headers().get("sec-websocket-key");
        if (key == null) {
            reply(out, 400, "not a WebSocket handshake");
            return;
        }
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key.trim() + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
            Frame frame = Frame.read(in);
            if (frame == null || frame.opcode() == CLOSE) {
                if (frame != null) {
                    Frame.write(out, CLOSE, frame.payload());
                }
                return;
            }
            if (frame.opcode() == PING) {
                Frame.write(out, PONG, frame.payload());
            } else if (frame.opcode() == TEXT) {
                String packet = new String(frame.payload(), StandardCharsets.UTF_8);
                if (packet.equals("2probe")) {
                    Frame.write(out, TEXT, "3probe".getBytes(StandardCharsets.UTF_8));
                } else if (packet.equals("5")) {
                    // upgraded: the poll still waiting ends with a no-op, and polling stops
                    toClient.add("6");
                }
            }
        }
    }

    /** An HTTP request's head; the body is left in the stream. */
    private record Request(String method, String query, Map<String, String> headers) {

        /** The next request on the connection, or null when the agent closed it. */
        static Request read(InputStream in) throws IOException {
            String requestLine = line(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return null;
            }
            Map<String, String> headers = new HashMap<>();
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon > 0) {
                    headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
                }
            }
            String[] parts = requestLine.split(" ");
            String target = parts.length > 1 ? parts[1] : "";
            int question = target.indexOf('?');
            return new Request(parts[0], question < 0 ? "" : target.substring(question + 1), headers);
        }

        int contentLength() {
            return Integer.parseInt(headers.getOrDefault("content-length", "0"));
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    line.write(b);
                }
            }
            return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
        }
    }

    /** A WebSocket frame (RFC 6455): the agent's are masked, ours are not; none is fragmented here. */
    private record Frame(int opcode, byte[] payload) {

        static Frame read(InputStream in) throws IOException {
            int first = in.read();
            int second = in.read();
            if (first < 0 || second < 0) {
                return null;
            }
            long length = second & 0x7F;
            if (length == 126) {
                length = ((long) in.read() << 8) | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | in.read();
                }
            }
            byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes(Math.toIntExact(length));
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
            }
            return new Frame(first & 0x0F, payload);
        }

        static void write(OutputStream out, int opcode, byte[] payload) throws IOException {
            out.write(0x80 | opcode);
            if (payload.length < 126) {
                out.write(payload.length);
            } else {
                out.write(126);
                out.write(payload.length >>> 8);
                out.write(payload.length & 0xFF);
            }
            out.write(payload);
            out.flush();
        }
    }
}
