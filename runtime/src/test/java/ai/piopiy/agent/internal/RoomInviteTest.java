package ai.piopiy.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.transport.CallInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomInviteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFullInviteBecomesTheCallsInfo() throws Exception {
        RoomInvite invite = RoomInvite.fromPayload(JSON.readTree("""
                {"room_name":"r1","token":"jwt","url":"wss://media","call_id":"c1","agent_id":"a9",
                 "from_number":"+91111","to_number":"+91222","metadata":{"k":"v"}}
                """), "https://signaling", "a1");

        CallInfo call = invite.callInfo();
        assertThat(call).isEqualTo(new CallInfo("c1", "a9", "+91111", "+91222", "wss://media", "jwt", "r1", Map.of("k", "v")));
        assertThat(invite.toString()).doesNotContain("jwt").contains("token=****");
    }

    @Test
    void missingUrlAndIdsFallBackAndNumericIdsAreRead() throws Exception {
        RoomInvite invite = RoomInvite.fromPayload(JSON.readTree("{\"room_name\":\"r1\",\"token\":\"t\",\"call_id\":123,\"url\":\"\"}"),
                "https://signaling", "a1");

        assertThat(invite.url()).isEqualTo("https://signaling");
        assertThat(invite.callId()).isEqualTo("123");
        assertThat(invite.agentId()).isEqualTo("a1");
        assertThat(invite.fromNumber()).isNull();
        assertThat(RoomInvite.fromPayload(JSON.readTree("{\"room_name\":\"r1\",\"token\":\"t\"}"), "u", "a").callId())
                .isEqualTo("r1");
    }

    @Test
    void anInviteWithoutRoomOrTokenIsRefusedSayingWhatIsMissing() throws Exception {
        assertThatThrownBy(() -> RoomInvite.fromPayload(JSON.readTree("{\"token\":\"t\"}"), "u", "a"))
                .hasMessage("join_room without room_name");
        assertThatThrownBy(() -> RoomInvite.fromPayload(JSON.readTree("{\"room_name\":\"r\",\"token\":\" \"}"), "u", "a"))
                .hasMessage("join_room without token");
        assertThatThrownBy(() -> RoomInvite.fromPayload(JSON.readTree("{\"room_name\":{\"x\":1},\"token\":\"t\"}"), "u", "a"))
                .hasMessage("join_room without room_name");
        assertThatThrownBy(() -> RoomInvite.fromPayload(JSON.readTree("[]"), "u", "a"))
                .hasMessage("join_room payload is not a JSON object");
    }

    @Test
    void cancelRoomNamesItsRoom() throws Exception {
        assertThat(RoomInvite.roomToCancel(JSON.readTree("{\"room_name\":\"r1\"}"))).isEqualTo("r1");
        assertThat(RoomInvite.roomToCancel(JSON.readTree("{}"))).isNull();
        assertThat(RoomInvite.roomToCancel(JSON.readTree("\"r1\""))).isNull();
    }
}
