package ai.piopiy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.testing.FakeLlmService;
import ai.piopiy.testing.FakeSttService;
import ai.piopiy.testing.FakeTtsService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A VoiceAgent without a transport joins the call's media room through the {@code livekit} provider on the
 * class path; the runtime alone has none, so it must say what to add. (Joining a room is tested end to end in the
 * livekit plugin, {@code PiopiyCallOverLiveKitIT}.)
 */
class VoiceAgentRoomTest {

    private static VoiceAgent agentWithoutTransport() {
        return new VoiceAgent("You are a test agent.", "Hello!")
                .action(new FakeSttService(List.of("hi"), 150, 80),
                        new FakeLlmService("fake-llm", List.of(), "Sorry?", 5),
                        new FakeTtsService("tone", 440, 80, 30, false));
    }

    @Test
    void inACallWithoutTheLiveKitPluginTheErrorNamesThePluginAndTheAlternative() {
        CallContext call = new CallContext(new CallInfo("call-9", "agent-1", null, null, "wss://media.example.test",
                "room-token-s3cr3t", "room-9", Map.of()));
        VoiceAgent agent = agentWithoutTransport();

        assertThatThrownBy(() -> call.runWith(() -> {
            agent.start();
            return null;
        }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("call-9")
                .hasMessageContaining("no 'livekit' transport provider on the class path")
                .hasMessageContaining("ai.piopiy:piopiy-plugin-livekit")
                .hasMessageContaining("transport(...)")
                .hasMessageNotContaining("room-token-s3cr3t");
    }

    @Test
    void outsideACallWithoutATransportTheErrorSaysHowToGiveOne() {
        assertThatThrownBy(() -> agentWithoutTransport().start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no transport for this call: pass one with transport(...)")
                .hasMessageContaining("Agent session");
    }
}
