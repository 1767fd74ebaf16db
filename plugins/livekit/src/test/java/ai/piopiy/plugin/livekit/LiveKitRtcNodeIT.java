package ai.piopiy.plugin.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.piopiy.plugin.livekit.testing.CallAudio;
import ai.piopiy.plugin.livekit.testing.NodeCaller;
import ai.piopiy.plugin.livekit.testing.TestRoomServer;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.testing.RecordingProviderContext;
import ai.piopiy.testing.Tones;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call with LiveKit's official client as the caller ({@code @livekit/rtc-node} driven by
 * {@code src/test/node/caller.mjs}, its token from the official {@code livekit-server-sdk}): so LiveKit's own
 * client checks the test room server, and the same server checks our agent. The agent joins first, as on a real
 * call; the caller joins, hears the greeting, says its line (a WAV), and hangs up, which ends the agent's call.
 */
class LiveKitRtcNodeIT {

    private static final String ROOM = "call-77";

    private RecordingProviderContext context;
    private TestRoomServer room;
    private LiveKitTransportService service;
    private CallTransport agent;

    @BeforeEach
    void start() throws Exception {
        assumeTrue("1".equals(System.getenv("PIOPIY_MEDIA_NETNS")),
                "media tests need the private network namespace of src/test/netns/bin/java (root, unshare, ip, veth); not available here");
        String missing = NodeCaller.unavailable();
        assumeTrue(missing == null, missing);
        context = new RecordingProviderContext("livekit");
        room = new TestRoomServer(true);
        service = new LiveKitProviderFactory().create(ProviderConfig.of("transport", Map.of(), Map.of()), context);
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (service != null) {
            service.close();
            room.close();
            context.close();
        }
    }

    @Test
    void theOfficialClientHearsTheGreetingItsSpeechReachesTheAgentAndItsHangUpEndsTheCall(@TempDir Path dir) throws Exception {
        String agentToken = room.token("agent", ROOM);
        agent = service.open(new CallInfo("call-77", "agent-1", "+15550100", "+15550199", room.url(), agentToken, ROOM, Map.of()));
        CallAudio.Recorder atAgent = new CallAudio.Recorder();
        agent.start(atAgent);

        Path wav = dir.resolve("caller-says.wav");
        CallAudio.writeWav(wav, 16_000, Tones.tone(16_000, 440, 8_000, 1_000));
        Path heard = dir.resolve("caller-heard.pcm");
        String callerToken = NodeCaller.officialToken(TestRoomServer.API_KEY, TestRoomServer.API_SECRET, "caller", ROOM);
        try (NodeCaller caller = new NodeCaller(room.url(), callerToken, wav, heard)) {
            long t0 = System.nanoTime();
            caller.awaitEvent("joined", 15_000);
            long callerJoinedMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(atAgent.events.poll(5, TimeUnit.SECONDS)).isEqualTo("joined caller");
            caller.awaitEvent("published", 10_000);
            caller.awaitEvent("subscribed", 10_000);

            // the runtime greets about 0.5 s after the caller joined
            Thread.sleep(500);
            CallAudio.play(agent, Tones.tone(8_000, 660, 8_000, 1_000));
            long speakStart = System.nanoTime();
            caller.send("speak");
            caller.awaitEvent("spoke", 5_000);
            Thread.sleep(300);

            caller.send("hangup");
            int bytes = caller.awaitEvent("hungup", 10_000).path("bytes").asInt();
            assertThat(caller.awaitExit(10_000)).isZero();
            String left = atAgent.events.poll(5, TimeUnit.SECONDS);
            assertThat(left).as("the caller's hang-up ends the call").startsWith("left caller").contains("CLIENT_INITIATED");

            byte[] callerHeard = Files.readAllBytes(heard);
            byte[] agentHeard = atAgent.audio();
            int greeting = CallAudio.windowsOf(callerHeard, 16_000, 660, 440);
            int speech = CallAudio.windowsOf(agentHeard, 16_000, 440, 660);
            System.out.printf("rtc-node caller joined in %d ms; it heard the 1 s greeting in %d windows of 20 ms (%d bytes); "
                            + "the agent heard its 1 s line in %d windows, the first loud audio %d ms after it started%n",
                    callerJoinedMillis, greeting, bytes, speech, (atAgent.firstLoudNanos - speakStart) / 1_000_000);
            assertThat(greeting).as("20 ms windows of the greeting the caller heard (of 50)").isGreaterThan(35);
            assertThat(speech).as("20 ms windows of the caller's line the agent heard (of 50)").isGreaterThan(35);
            assertThat(CallAudio.windowsOf(agentHeard, 16_000, 660, 440)).as("the agent does not hear itself").isZero();
        }
        context.logger().assertNeverLogged(agentToken, callerToken);
        // the official client tries the single-peer-connection route first and falls back to v0 on its 404
        assertThat(room.arrivals()).extracting(TestRoomServer.Arrival::path, TestRoomServer.Arrival::status)
                .containsSubsequence(org.assertj.core.groups.Tuple.tuple("/rtc/v1", 404), org.assertj.core.groups.Tuple.tuple("/rtc", 101));
    }

    @Test
    void anAgentInvitedToARoomWhereTheCallerAlreadySpeaksHearsItAndIsHeard(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("caller-says.wav");
        CallAudio.writeWav(wav, 16_000, Tones.tone(16_000, 440, 8_000, 1_000));
        Path heard = dir.resolve("caller-heard.pcm");
        String callerToken = NodeCaller.officialToken(TestRoomServer.API_KEY, TestRoomServer.API_SECRET, "caller", ROOM);
        try (NodeCaller caller = new NodeCaller(room.url(), callerToken, wav, heard)) {
            caller.awaitEvent("published", 15_000);
            agent = service.open(new CallInfo("call-78", "agent-1", null, null, room.url(), room.token("agent", ROOM), ROOM, Map.of()));
            CallAudio.Recorder atAgent = new CallAudio.Recorder();
            agent.start(atAgent);
            assertThat(atAgent.events.poll(1, TimeUnit.SECONDS)).isEqualTo("joined caller");
            caller.awaitEvent("subscribed", 10_000);
            caller.send("speak");
            CallAudio.play(agent, Tones.tone(8_000, 660, 8_000, 1_000));
            caller.awaitEvent("spoke", 5_000);
            Thread.sleep(300);
            caller.send("hangup");
            caller.awaitEvent("hungup", 10_000);
            assertThat(atAgent.events.poll(5, TimeUnit.SECONDS)).startsWith("left caller");
            assertThat(CallAudio.windowsOf(atAgent.audio(), 16_000, 440, 660)).as("the caller's line at the agent (of 50)").isGreaterThan(35);
            assertThat(CallAudio.windowsOf(Files.readAllBytes(heard), 16_000, 660, 440)).as("the agent at the caller (of 50)").isGreaterThan(35);
        }
    }
}
