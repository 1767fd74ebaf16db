package ai.piopiy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real Socket.IO v4 server (the npm {@code socket.io} package, run by node) standing in for the Piopiy
 * signaling server: {@code src/test/node/signaling-server.js}, installed once per build into
 * {@code target/signaling-server} with {@code npm ci}. The test drives it over stdin and reads what it
 * saw from stdout.
 */
public final class NodeSignalingServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static Path installed;

    private final Process process;
    private final Writer commands;
    private final List<JsonNode> reports = new ArrayList<>();
    private final int port;

    private NodeSignalingServer(Process process) throws InterruptedException {
        this.process = process;
        this.commands = process.outputWriter(UTF_8);
        Thread.ofPlatform().daemon().name("signaling-server-stdout").start(this::readReports);
        this.port = awaitReport("listening", 1).get("port").asInt();
    }

    /** Starts a server that accepts exactly this agent id and token. */
    public static NodeSignalingServer start(String agentId, String agentToken) throws IOException, InterruptedException {
        Path dir = install();
        ProcessBuilder builder = new ProcessBuilder("node", "signaling-server.js")
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("AGENT_ID", agentId);
        builder.environment().put("AGENT_TOKEN", agentToken);
        return new NodeSignalingServer(builder.start());
    }

    private static synchronized Path install() throws IOException, InterruptedException {
        if (installed != null) {
            return installed;
        }
        Path source = Path.of(System.getProperty("basedir", "."), "src", "test", "node");
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "signaling-server");
        Files.createDirectories(dir);
        boolean lockChanged = !Files.exists(dir.resolve("package-lock.json"))
                || Files.mismatch(source.resolve("package-lock.json"), dir.resolve("package-lock.json")) != -1;
        for (String file : List.of("package.json", "package-lock.json", "signaling-server.js")) {
            Files.copy(source.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (lockChanged || !Files.isDirectory(dir.resolve("node_modules").resolve("socket.io"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(npm.getInputStream().readAllBytes(), UTF_8);
            if (!npm.waitFor(3, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IOException("npm ci in " + dir + " failed:\n" + output);
            }
        }
        installed = dir;
        return dir;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Sends {@code event} with {@code data} (any JSON value: an object, a string...) to every connected agent. */
    public void emit(String event, Object data) throws IOException, InterruptedException {
        int before = count("emitted");
        ObjectNode command = JSON.createObjectNode().put("cmd", "emit").put("event", event);
        command.set("data", JSON.valueToTree(data));
        send(command);
        JsonNode emitted = awaitReport("emitted", before + 1);
        if (emitted.get("clients").asInt() < 1) {
            throw new IllegalStateException("no agent was connected to receive " + event);
        }
    }

    /** Closes the server as a crash would, stays down {@code down}, listens again on the same port. */
    void restart(Duration down) throws IOException, InterruptedException {
        int listening = count("listening");
        send(JSON.createObjectNode().put("cmd", "restart").put("downMillis", down.toMillis()));
        awaitReport("listening", listening + 1);
    }

    /** Disconnects every agent on purpose (the server-side {@code socket.disconnect(true)}). */
    void kick() throws IOException, InterruptedException {
        int before = count("kicked");
        send(JSON.createObjectNode().put("cmd", "kick"));
        awaitReport("kicked", before + 1);
    }

    /** Accepts these credentials from now on (agents already connected stay so). */
    void credentials(String agentId, String agentToken) throws IOException, InterruptedException {
        int before = count("credentials");
        send(JSON.createObjectNode().put("cmd", "credentials").put("agentId", agentId).put("token", agentToken));
        awaitReport("credentials", before + 1);
    }

    /** The n-th (1-based) report named {@code event}, waiting for it. */
    JsonNode awaitReport(String event, int nth) throws InterruptedException {
        return awaitReport(report -> event.equals(report.path("event").asText()), nth, event);
    }

    JsonNode awaitReport(Predicate<JsonNode> matching, int nth, String description) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (reports) {
            while (true) {
                int seen = 0;
                for (JsonNode report : reports) {
                    if (matching.test(report) && ++seen == nth) {
                        return report;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the signaling server did not report " + description + " #" + nth
                            + " within " + WAIT.toMillis() + " ms; reports: " + reports);
                }
                TimeUnit.NANOSECONDS.timedWait(reports, left);
            }
        }
    }

    int count(String event) {
        synchronized (reports) {
            return (int) reports.stream().filter(report -> event.equals(report.path("event").asText())).count();
        }
    }

    List<JsonNode> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    private void send(JsonNode command) throws IOException {
        requireNonNull(command, "command is null");
        commands.write(command.toString());
        commands.write('\n');
        commands.flush();
    }

    private void readReports() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode report = JSON.readTree(line);
                synchronized (reports) {
                    reports.add(report);
                    reports.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    @Override
    public void close() throws Exception {
        try {
            send(JSON.createObjectNode().put("cmd", "stop"));
            commands.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
        }
    }
}
