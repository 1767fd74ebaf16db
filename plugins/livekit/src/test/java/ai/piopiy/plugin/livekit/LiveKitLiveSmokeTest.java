package ai.piopiy.plugin.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.livekit.testing.CallAudio;
import ai.piopiy.plugin.livekit.testing.LiveKitJwt;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.testing.LiveKey;
import ai.piopiy.testing.RecordingProviderContext;
import ai.piopiy.testing.Tones;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A call in a real LiveKit room (LiveKit Cloud or a self-hosted server): {@code LIVEKIT_URL},
 * {@code LIVEKIT_API_KEY} and {@code LIVEKIT_API_SECRET} give the server and the key tokens are signed with.
 * The agent and a caller (a second transport) hear each other, and the caller hanging up ends the agent's call.
 * Skipped, saying so, when any of them is not set.
 */
class LiveKitLiveSmokeTest {

    @Test
    void anAgentAndACallerHearEachOtherInARealRoom() throws Exception {
        String secret = LiveKey.require("LIVEKIT_API_SECRET");
        String apiKey = LiveKey.require("LIVEKIT_API_KEY");
        String url = LiveKey.require("LIVEKIT_URL");
        String room = "piopiy-smoke-" + UUID.randomUUID();
        String agentToken = LiveKitJwt.create(apiKey, secret, "agent", room, Duration.ofMinutes(5));
        String callerToken = LiveKitJwt.create(apiKey, secret, "caller", room, Duration.ofMinutes(5));
        try (RecordingProviderContext context = new RecordingProviderContext("livekit");
                LiveKitTransportService service = new LiveKitProviderFactory().create(ProviderConfig.empty("transport"), context)) {
            CallTransport agent = service.open(new CallInfo("smoke-agent", "a", null, null, url, agentToken, room, Map.of()));
            CallTransport caller = service.open(new CallInfo("smoke-caller", "a", null, null, url, callerToken, room, Map.of()));
            try {
                CallAudio.Recorder atAgent = new CallAudio.Recorder();
                CallAudio.Recorder atCaller = new CallAudio.Recorder();
                agent.start(atAgent);
                caller.start(atCaller);
                assertThat(atAgent.events.poll(10, TimeUnit.SECONDS)).isEqualTo("joined caller");
                Thread.sleep(1_000); // the subscriptions settle
                CallAudio.play(caller, Tones.tone(8_000, 440, 8_000, 1_000));
                CallAudio.play(agent, Tones.tone(8_000, 660, 8_000, 1_000));
                Thread.sleep(500);
                assertThat(CallAudio.windowsOf(atAgent.audio(), 16_000, 440, 660)).as("the caller's tone at the agent (of 50)").isGreaterThan(30);
                assertThat(CallAudio.windowsOf(atCaller.audio(), 16_000, 660, 440)).as("the agent's tone at the caller (of 50)").isGreaterThan(30);
                caller.close();
                assertThat(atAgent.events.poll(10, TimeUnit.SECONDS)).startsWith("left caller");
            } finally {
                caller.close();
                agent.close();
            }
            context.logger().assertNeverLogged(secret, agentToken, callerToken);
        }
    }
}
