import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The signaling server of the AOT training run: just enough of Socket.IO over Engine.IO v4 long-polling
 * for an agent to connect (handshake, CONNECT, its acknowledgement, then quiet polls), so that the
 * training goes through the whole start-up of {@code piopiy run}, up to ready for calls, and the cache
 * holds the signaling client's classes too. It offers no WebSocket upgrade. The real signaling server,
 * and the tests' stand-in (npm socket.io), speak the whole protocol.
 *
 * <p>Run with {@code java SignalingStandIn.java}; prints {@code port N} once listening, and exits when
 * its standard input closes.
 */
public final class SignalingStandIn {

    private static final char SEPARATOR = '\u001e';

    private final BlockingQueue<String> toClient = new LinkedBlockingQueue<>();

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/socket.io/", new SignalingStandIn()::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("port " + server.getAddress().getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the training script closes our standard input
        }
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String method = exchange.getRequestMethod();
        if (query == null || !query.contains("transport=polling")) {
            reply(exchange, 400, "polling only");
        } else if (method.equals("POST")) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String packet : body.split(String.valueOf(SEPARATOR))) {
                if (packet.startsWith("40")) {
                    // Socket.IO CONNECT (with the agent's auth): accepted
                    toClient.add("40{\"sid\":\"training-socket\"}");
                }
            }
            reply(exchange, 200, "ok");
        } else if (!query.contains("sid=")) {
            reply(exchange, 200, "0{\"sid\":\"training\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                    + "\"maxPayload\":1000000}");
        } else {
            String packet;
            try {
                packet = toClient.poll(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                packet = null;
            }
            // a long poll with nothing to say ends with a no-op packet
            reply(exchange, 200, packet == null ? "6" : packet);
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
