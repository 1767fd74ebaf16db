package ai.piopiy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.NodeSignalingServer;
import ai.piopiy.runtime.manifest.TestManifests;
import ai.piopiy.runtime.plugin.TestPlugins;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PiopiyCliTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int piopiy(String... args) {
        return new PiopiyCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                TestManifests.ENV, home).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpForTheCommandAndForEachSubcommand() {
        assertThat(piopiy("--help")).isZero();
        assertThat(out()).startsWith("Usage: piopiy [--plugins-dir DIR] <command> [arguments]");
        for (String command : List.of("run", "validate", "plugins", "version")) {
            out.reset();
            assertThat(piopiy(command, "--help")).isZero();
            assertThat(out()).startsWith("Usage: piopiy").contains(command);
        }
    }

    @Test
    void aWrongCommandLineSaysWhatIsWrong() {
        assertThat(piopiy()).isEqualTo(PiopiyCli.USAGE);
        assertThat(err()).startsWith("piopiy: no command given\nUsage: piopiy");
        err.reset();
        assertThat(piopiy("serve")).isEqualTo(PiopiyCli.USAGE);
        assertThat(err()).startsWith("piopiy: unknown command serve\n");
        err.reset();
        assertThat(piopiy("validate")).isEqualTo(PiopiyCli.USAGE);
        assertThat(err()).startsWith("piopiy: validate takes one manifest file\n");
        err.reset();
        assertThat(piopiy("plugins", "--plugins-dir")).isEqualTo(PiopiyCli.USAGE);
        assertThat(err()).startsWith("piopiy: --plugins-dir needs a directory\n");
        err.reset();
        assertThat(piopiy("--verbose", "plugins")).isEqualTo(PiopiyCli.USAGE);
        assertThat(err()).startsWith("piopiy: unknown option --verbose\n");
    }

    @Test
    void versionNamesTheSpiVersion() {
        assertThat(piopiy("version")).isZero();
        assertThat(out()).contains("SPI 0.1.0\n").contains("Java 25");
    }

    @Test
    void pluginsListsProvidersByPluginAndWhatFailed() throws IOException {
        Path plugins = home.resolve("elsewhere");
        TestPlugins build = new TestPlugins(Files.createDirectories(home.resolve("build")));
        build.plugin("shout")
                .property("plugin.description", "Shouting LLM")
                .lib(build.providerJar("shout.jar", Map.of("shout.ShoutFactory",
                        TestPlugins.llmFactory("shout.ShoutFactory", "shout", "\"HEY\"")), List.of(), "shout.ShoutFactory"))
                .writeZip(plugins, "shout-1.0.0.zip");
        TestPlugins.write(plugins, "half.zip", new byte[] {'P', 'K', 5, 6});

        assertThat(piopiy("plugins", "--plugins-dir", plugins.toString())).isEqualTo(PiopiyCli.FAILED);

        assertThat(out()).isEqualTo("""
                Plugins directory: %s
                SPI version: 0.1.0

                shout 1.0.0 - Shouting LLM
                  llm       shout  answers with a fixed text

                On the class path:
                  stt       scripted
                  llm       echo      repeats what the caller said
                  tts       tone
                  vad       energy
                  transport loopback

                Failed to load (1):
                  half.zip: not a readable zip file (zip END header not found); replace it with a complete copy of the plugin
                """.formatted(plugins.toAbsolutePath()));
    }

    @Test
    void validateAcceptsAGoodManifestAndNamesItsServices() throws IOException {
        Path manifest = Files.writeString(home.resolve("agent.json"), TestManifests.FULL);
        assertThat(piopiy("validate", manifest.toString())).isZero();
        assertThat(out()).isEqualTo("agent.json is valid: stt scripted, llm echo, tts switch (english: tone, spanish: tone, "
                + "default english), vad energy, transport loopback\n");
        assertThat(err()).isEmpty();
    }

    @Test
    void validateListsEveryErrorAndExitsWithTwo() throws IOException {
        Path manifest = Files.writeString(home.resolve("agent.json"), TestManifests.FULL
                .replace("\"instructions\"", "\"instruction\"")
                .replace("\"prefix\": \"Echo: \"", "\"prefix\": 7, \"voice\": \"x\""));
        assertThat(piopiy("validate", manifest.toString())).isEqualTo(PiopiyCli.INVALID_MANIFEST);
        assertThat(out()).isEmpty();
        assertThat(err()).isEqualTo("""
                agent.json has 3 errors:
                  pipeline.instructions: missing; expected a string
                  pipeline.instruction: unknown field; did you mean instructions? expected one of: instructions, greeting, \
                initial_messages, stt, llm, tts, vad, vad_params, interruptions, guards, tools
                  pipeline.llm.prefix: expected a string but got a number 7
                """);
    }

    @Test
    @Timeout(60)
    void runSaysWhenTheAgentCannotJoinTheSignalingServer() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path manifest = Files.writeString(home.resolve("agent.json"), TestManifests.FULL.replace(
                "${SIGNALING_URL:-https://signaling.example.com}", "http://127.0.0.1:" + closedPort));

        assertThat(piopiy("run", manifest.toString())).isEqualTo(PiopiyCli.FAILED);
        assertThat(err()).startsWith("piopiy: the agent could not join http://127.0.0.1:" + closedPort + ": ");
        assertThat(err()).doesNotContain(TestManifests.ENV.get("AGENT_TOKEN"));
    }

    @Test
    @Timeout(60)
    void runSaysWhenItIsReadyThenTakesACallFromTheSignalingServer() throws Exception {
        Path reports = home.resolve("reports");
        try (NodeSignalingServer server = NodeSignalingServer.start(TestManifests.ENV.get("AGENT_ID"), TestManifests.ENV.get("AGENT_TOKEN"))) {
            Path manifest = Files.writeString(home.resolve("agent.json"), TestManifests.FULL.replace(
                    "${SIGNALING_URL:-https://signaling.example.com}", server.url()));
            Map<String, String> environment = new HashMap<>(TestManifests.ENV);
            environment.put("BENCH_T0_NS", String.valueOf(StartupMarks.now()));
            PiopiyCli cli = new PiopiyCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), environment, home);
            AtomicInteger exit = new AtomicInteger(-1);
            Thread running = Thread.ofPlatform().start(() -> exit.set(cli.execute("--report", reports.toString(), "run", manifest.toString())));

            // ready: connected, services created; W3's marks in order
            await(() -> out().contains("\"ready_ms\""));
            assertThat(out()).containsSubsequence("\"runtime_ready_ms\"", "\"framework_loaded_ms\"", "\"pipeline_built_ms\"",
                    "\"ready_ms\"");
            server.emit("join_room", Map.of("room_name", "room-1", "token", "room-token", "url", "wss://media.example.test",
                    "call_id", "call-1", "agent_id", TestManifests.ENV.get("AGENT_ID")));
            // the loopback caller says its line, hears the answer and hangs up: the call's report is written
            await(() -> Files.isRegularFile(reports.resolve("call-1/report.txt")));
            assertThat(Files.readString(reports.resolve("call-1/report.txt"))).contains("hello there", "Echo: hello there");

            running.interrupt();
            running.join(Duration.ofSeconds(20));
            assertThat(running.isAlive()).isFalse();
            assertThat(exit.get()).as("an interrupted run ends as failed").isEqualTo(PiopiyCli.FAILED);
            assertThat(err()).isEmpty();
        }
    }

    @Test
    @Timeout(60)
    void runReportsAProviderThatRefusesItsSettingsAndLeavesTheSignalingServer() throws Exception {
        try (NodeSignalingServer server = NodeSignalingServer.start(TestManifests.ENV.get("AGENT_ID"), TestManifests.ENV.get("AGENT_TOKEN"))) {
            Path manifest = Files.writeString(home.resolve("agent.json"), TestManifests.FULL
                    .replace("${SIGNALING_URL:-https://signaling.example.com}", server.url())
                    .replace("\"prefix\": \"Echo: \"", "\"prefix\": 7"));

            assertThat(piopiy("run", manifest.toString())).isEqualTo(PiopiyCli.INVALID_MANIFEST);
            assertThat(err()).isEqualTo("""
                    agent.json has 1 error:
                      pipeline.llm.prefix: expected a string but got a number 7
                    """);
        }
    }

    @Test
    void runReportsEveryErrorOfAMalformedManifestAsValidateDoes() throws IOException {
        Path manifest = Files.writeString(home.resolve("agent.json"), TestManifests.FULL
                .replace("\"instructions\"", "\"instruction\"")
                .replace("\"prefix\": \"Echo: \"", "\"prefix\": 7"));
        assertThat(piopiy("run", manifest.toString())).isEqualTo(PiopiyCli.INVALID_MANIFEST);
        String fromRun = err();
        err.reset();
        piopiy("validate", manifest.toString());
        assertThat(fromRun).isEqualTo(err()).contains("pipeline.instruction: unknown field", "pipeline.llm.prefix");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aMissingManifestIsNamed() {
        assertThat(piopiy("validate", home.resolve("nope.json").toString())).isEqualTo(PiopiyCli.INVALID_MANIFEST);
        assertThat(err()).isEqualTo("piopiy: manifest " + home.resolve("nope.json") + " does not exist\n");
    }
}
