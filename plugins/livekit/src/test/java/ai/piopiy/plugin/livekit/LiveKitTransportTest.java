package ai.piopiy.plugin.livekit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.livekit.testing.LiveKitJwt;
import ai.piopiy.plugin.livekit.testing.TestRoomServer;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.testing.RecordingProviderContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Joins that fail, against the signaling-only test room server: each failure says why, never shows the token,
 * and releases the call's WebRTC objects (a leak would hang this JVM's exit).
 */
class LiveKitTransportTest {

    private RecordingProviderContext context;
    private TestRoomServer room;
    private LiveKitTransportService service;

    @BeforeEach
    void start() throws Exception {
        context = new RecordingProviderContext("livekit");
        room = new TestRoomServer();
        service = new LiveKitProviderFactory().create(ProviderConfig.of("transport", Map.of("join_timeout_ms", 1_500), Map.of()), context);
    }

    @AfterEach
    void stop() throws Exception {
        service.close();
        room.close();
        context.close();
    }

    private CallInfo call(String token) {
        return new CallInfo("call-9", "agent-1", null, null, room.url(), token, "call-9", Map.of());
    }

    @Test
    void aTokenTheRoomRefusesFailsTheOpenWithTheRoomsReason() {
        String forged = LiveKitJwt.create(TestRoomServer.API_KEY, "wrong-secret", "agent", "call-9", Duration.ofMinutes(5));
        assertThatThrownBy(() -> service.open(call(forged))).isInstanceOf(ServiceException.class)
                .hasMessageContaining("refused the join: HTTP 401 invalid authorization token: signature is invalid")
                .hasMessageNotContaining(forged);
        context.logger().assertNeverLogged(forged);
    }

    @Test
    void aRoomWhereNoMediaConnectionComesUpFailsTheOpenAtTheJoinTimeout() {
        // the signaling-only server confirms the track but offers no peer connection: ICE never starts
        String token = room.token("agent", "call-9");
        assertThatThrownBy(() -> service.open(call(token))).isInstanceOf(ServiceException.class)
                .hasMessageContaining("could not join the room within 1500 ms")
                .hasMessageContaining("peer connection did not connect");
        context.logger().assertNeverLogged(token);
    }
}
