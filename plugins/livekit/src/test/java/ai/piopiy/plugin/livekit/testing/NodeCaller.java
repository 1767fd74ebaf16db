package ai.piopiy.plugin.livekit.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * LiveKit's official client, {@code @livekit/rtc-node}, as a caller: {@code src/test/node/caller.mjs} run by Node
 * from {@code target/node}, where the build installed the npm packages. Its JSON-line events are read here; its
 * stderr goes to a file for when a test fails.
 */
public final class NodeCaller implements AutoCloseable {

    public static final Path DIR = Path.of("target", "node").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

    /** Why the Node caller cannot run here, or null when it can. */
    public static String unavailable() {
        if (!Files.isDirectory(DIR.resolve("node_modules/@livekit/rtc-node"))) {
            return "@livekit/rtc-node is not installed in " + DIR + " (the build's npm install step needs node, npm and the npm registry)";
        }
        return null;
    }

    /** A token made by LiveKit's own server SDK ({@code livekit-server-sdk}'s AccessToken). */
    public static String officialToken(String apiKey, String secret, String identity, String room) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", "token.mjs", apiKey, secret, identity, room).directory(DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String token = new String(p.getInputStream().readAllBytes(), UTF_8).strip();
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0 || token.isEmpty()) {
            throw new IllegalStateException("token.mjs failed (exit " + p.exitValue() + ")");
        }
        return token;
    }

    public NodeCaller(String url, String token, Path wav, Path recording) throws IOException {
        process = new ProcessBuilder(List.of("node", "caller.mjs", url, token, wav.toString(), recording.toString()))
                .directory(DIR.toFile())
                .redirectError(DIR.resolve("caller-stderr.log").toFile())
                .start();
        stdin = process.getOutputStream();
        Thread.ofVirtual().name("node-caller-stdout").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("{")) {
                        events.add(JSON.readTree(line));
                    }
                }
            } catch (IOException ignored) {
                // the process went away; awaitEvent says what was missing
            }
        });
    }

    /** The next event named {@code name}, skipping others. */
    public JsonNode awaitEvent(String name, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            JsonNode e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e != null && name.equals(e.path("event").asText())) {
                return e;
            }
        }
        throw new AssertionError("the Node caller sent no \"" + name + "\" within " + timeoutMillis + " ms (alive: "
                + process.isAlive() + "; see " + DIR.resolve("caller-stderr.log") + ")");
    }

    public void send(String command) throws IOException {
        stdin.write((command + "\n").getBytes(UTF_8));
        stdin.flush();
    }

    public int awaitExit(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the Node caller did not exit within " + timeoutMillis + " ms");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
