package ai.piopiy.plugin.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.livekit.internal.SignalClient;
import ai.piopiy.plugin.livekit.testing.LiveKitJwt;
import ai.piopiy.plugin.livekit.testing.TestRoomServer;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.testing.RecordingProviderContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitModels.TrackType;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.ReconnectResponse;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The signaling client against the test room server, which speaks LiveKit's v0 signaling. */
class SignalClientTest {

    private static final SignalClient.Options OPTIONS =
            new SignalClient.Options(Duration.ofSeconds(5), Duration.ofSeconds(5), "0.1.0");

    private final OkHttpClient http = new OkHttpClient();
    private final BlockingQueue<SignalResponse> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<ReconnectResponse> resumes = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> lost = new LinkedBlockingQueue<>();
    private final SignalClient.Listener listener = new SignalClient.Listener() {
        @Override
        public void onMessage(SignalResponse message) {
            messages.add(message);
        }

        @Override
        public void onResumed(ReconnectResponse reconnect) {
            resumes.add(reconnect);
        }

        @Override
        public void onLost(String reason) {
            lost.add(reason);
        }
    };
    private TestRoomServer room;
    private RecordingProviderContext context;

    @BeforeEach
    void start() throws Exception {
        room = new TestRoomServer();
        context = new RecordingProviderContext("livekit");
    }

    @AfterEach
    void stop() throws Exception {
        room.close();
        context.close();
        http.dispatcher().executorService().shutdownNow();
        http.connectionPool().evictAll();
    }

    private SignalClient client(String token) {
        return new SignalClient(http, room.url(), token, context.scheduler(), OPTIONS, listener, context.logger(), "call-1");
    }

    private SignalResponse nextMessage(SignalResponse.MessageCase kind) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            SignalResponse m = messages.poll(left, TimeUnit.NANOSECONDS);
            if (m != null && m.getMessageCase() == kind) {
                return m;
            }
        }
        throw new AssertionError("no " + kind + " within 5 s");
    }

    @Test
    void joinsOnRtcWithTheTokenInTheHeaderAndGetsTheJoinResponse() {
        String token = room.token("agent", "call-42");
        try (SignalClient client = client(token)) {
            JoinResponse join = client.connect();
            assertThat(join.getRoom().getName()).isEqualTo("call-42");
            assertThat(join.getParticipant().getIdentity()).isEqualTo("agent");
            assertThat(client.participantSid()).startsWith("PA_").isEqualTo(join.getParticipant().getSid());
        }
        TestRoomServer.Arrival arrival = room.arrivals().getFirst();
        assertThat(arrival.path()).isEqualTo("/rtc");
        assertThat(arrival.bearer()).isTrue();
        assertThat(arrival.query()).containsEntry("protocol", "16").containsEntry("auto_subscribe", "1")
                .containsEntry("adaptive_stream", "0").containsEntry("sdk", "java").containsEntry("version", "0.1.0")
                .doesNotContainKey("access_token").doesNotContainKey("reconnect");
        context.logger().assertNeverLogged(token);
    }

    @Test
    void aRoomUrlWithATrailingSlashOrAPathStillReachesRtc() {
        room.token("agent", "r");
        try (SignalClient client = new SignalClient(http, room.url() + "/", room.token("agent", "r"), context.scheduler(),
                OPTIONS, listener, context.logger(), "c")) {
            client.connect();
        }
        assertThat(room.arrivals().getFirst().path()).isEqualTo("/rtc");
        assertThat(rtcUrl("wss://lk.example.com")).isEqualTo("https://lk.example.com/rtc");
        assertThat(rtcUrl("https://lk.example.com/base/")).isEqualTo("https://lk.example.com/base/rtc");
        assertThat(rtcUrl("ws://127.0.0.1:7880?x=1")).isEqualTo("http://127.0.0.1:7880/rtc");
        assertThatThrownBy(() -> rtcUrl("ftp://x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wss://");
    }

    private static String rtcUrl(String url) {
        return SignalClient.rtcUrl(url).toString();
    }

    @Test
    void aRejectedTokenFailsTheJoinWithTheServersReasonAndWithoutTheToken() {
        String forged = LiveKitJwt.create(TestRoomServer.API_KEY, "not-the-secret", "agent", "call-42", Duration.ofMinutes(5));
        try (SignalClient client = client(forged)) {
            assertThatThrownBy(client::connect).isInstanceOf(ServiceException.class)
                    .hasMessageContaining("refused the join").hasMessageContaining("401")
                    .hasMessageContaining("signature is invalid").hasMessageNotContaining(forged);
        }
        String expired = LiveKitJwt.create(TestRoomServer.API_KEY, TestRoomServer.API_SECRET, "agent", "r", Duration.ofMinutes(-5));
        try (SignalClient client = client(expired)) {
            assertThatThrownBy(client::connect).hasMessageContaining("token is expired");
        }
        context.logger().assertNeverLogged(forged, expired);
    }

    @Test
    void anUnreachableRoomFailsTheJoinSayingSo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        try (SignalClient client = new SignalClient(http, "ws://127.0.0.1:" + port, "t", context.scheduler(), OPTIONS,
                listener, context.logger(), "c")) {
            assertThatThrownBy(client::connect).isInstanceOf(ServiceException.class)
                    .hasMessageContaining("could not reach the room at 127.0.0.1:" + port);
        }
    }

    @Test
    void aServerThatNeverSendsTheJoinResponseTimesOut() throws Exception {
        try (MockWebServer silent = new MockWebServer()) {
            silent.enqueue(new MockResponse.Builder().webSocketUpgrade(new WebSocketListener() {}).build());
            silent.start(InetAddress.getByName("127.0.0.1"), 0);
            SignalClient.Options quick = new SignalClient.Options(Duration.ofMillis(500), Duration.ofSeconds(1), "0.1.0");
            try (SignalClient client = new SignalClient(http, "ws://127.0.0.1:" + silent.getPort(), "t", context.scheduler(),
                    quick, listener, context.logger(), "c")) {
                assertThatThrownBy(client::connect).isInstanceOf(ServiceException.class)
                        .hasMessageContaining("sent no join response within 500 ms");
            }
        }
    }

    @Test
    void pingsAtTheIntervalTheJoinResponseAsksForAndMeasuresTheRoundTrip() throws Exception {
        room.pings(1, 5);
        try (SignalClient client = client(room.token("agent", "r"))) {
            client.connect();
            SignalRequest ping = room.awaitParticipant("agent", 2_000).next(SignalRequest.MessageCase.PING_REQ, 2_500);
            assertThat(ping.getPingReq().getTimestamp()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(3_000L));
            SignalRequest second = room.participant("agent").next(SignalRequest.MessageCase.PING_REQ, 2_500);
            assertThat(second.getPingReq().getTimestamp() - ping.getPingReq().getTimestamp()).isBetween(700L, 1_600L);
        }
    }

    @Test
    void requestsReachTheServerAndItsAnswersReachTheListener() throws Exception {
        try (SignalClient client = client(room.token("agent", "r"))) {
            client.connect();
            client.send(SignalRequest.newBuilder().setAddTrack(AddTrackRequest.newBuilder().setCid("agent-mic")
                    .setName("agent").setType(TrackType.AUDIO).setSource(TrackSource.MICROPHONE)).build());
            SignalResponse published = nextMessage(SignalResponse.MessageCase.TRACK_PUBLISHED);
            assertThat(published.getTrackPublished().getCid()).isEqualTo("agent-mic");
            assertThat(published.getTrackPublished().getTrack().getSid()).startsWith("TR_AM");

            room.addSilentParticipant("caller", "r", true);
            SignalResponse update = nextMessage(SignalResponse.MessageCase.UPDATE);
            assertThat(update.getUpdate().getParticipants(0).getIdentity()).isEqualTo("caller");
        }
    }

    @Test
    void aMalformedFrameIsLoggedAndSkippedAndLaterMessagesStillArrive() throws Exception {
        try (SignalClient client = client(room.token("agent", "r"))) {
            client.connect();
            TestRoomServer.Participant agent = room.awaitParticipant("agent", 2_000);
            room.sendRaw(agent, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01});
            room.addSilentParticipant("caller", "r", false);
            assertThat(nextMessage(SignalResponse.MessageCase.UPDATE).getUpdate().getParticipants(0).getIdentity()).isEqualTo("caller");
            assertThat(context.logger().contains("ignored a malformed signaling frame")).isTrue();
        }
    }

    @Test
    void closingLeavesTheRoomWithClientInitiatedDisconnect() throws Exception {
        SignalClient client = client(room.token("agent", "r"));
        client.connect();
        TestRoomServer.Participant agent = room.awaitParticipant("agent", 2_000);
        client.close();
        client.close();
        LeaveRequest leave = agent.next(SignalRequest.MessageCase.LEAVE, 2_000).getLeave();
        assertThat(leave.getReason()).isEqualTo(DisconnectReason.CLIENT_INITIATED);
        assertThat(leave.getAction()).isEqualTo(LeaveRequest.Action.DISCONNECT);
        assertThat(lost).isEmpty();
    }

    @Test
    void aDroppedSocketIsResumedWithTheParticipantSidAndRequestsFlowAgain() throws Exception {
        try (SignalClient client = client(room.token("agent", "r"))) {
            client.connect();
            TestRoomServer.Participant agent = room.awaitParticipant("agent", 2_000);
            room.dropSocket(agent);
            assertThat(resumes.poll(5, TimeUnit.SECONDS)).as("resumed").isNotNull();
            TestRoomServer.Arrival again = room.arrivals().getLast();
            assertThat(again.query()).containsEntry("reconnect", "1").containsEntry("sid", client.participantSid())
                    .containsEntry("reconnect_reason", "1");
            client.send(SignalRequest.newBuilder().setAddTrack(AddTrackRequest.newBuilder().setCid("after")
                    .setType(TrackType.AUDIO)).build());
            assertThat(nextMessage(SignalResponse.MessageCase.TRACK_PUBLISHED).getTrackPublished().getCid()).isEqualTo("after");
            assertThat(lost).isEmpty();
        }
    }

    @Test
    void aResumeUsesTheLatestRefreshedToken() throws Exception {
        try (SignalClient client = client(room.token("agent", "r"))) {
            client.connect();
            TestRoomServer.Participant agent = room.awaitParticipant("agent", 2_000);
            String refreshed = LiveKitJwt.create(TestRoomServer.API_KEY, TestRoomServer.API_SECRET, "agent", "r", Duration.ofMinutes(30));
            agent.send(SignalResponse.newBuilder().setRefreshToken(refreshed).build());
            nextMessage(SignalResponse.MessageCase.REFRESH_TOKEN);
            room.dropSocket(agent);
            assertThat(resumes.poll(5, TimeUnit.SECONDS)).as("resumed").isNotNull();
            assertThat(room.arrivals().getLast().token()).isEqualTo(refreshed);
            context.logger().assertNeverLogged(refreshed);
        }
    }

    @Test
    void aLeaveAskingForAResumeIsResumed() throws Exception {
        try (SignalClient client = client(room.token("agent", "r"))) {
            client.connect();
            room.awaitParticipant("agent", 2_000).send(SignalResponse.newBuilder().setLeave(LeaveRequest.newBuilder()
                    .setAction(LeaveRequest.Action.RESUME).setReason(DisconnectReason.MIGRATION)).build());
            assertThat(resumes.poll(5, TimeUnit.SECONDS)).as("resumed").isNotNull();
            assertThat(room.arrivals().getLast().query()).containsEntry("reconnect", "1");
            assertThat(lost).isEmpty();
        }
    }

    @Test
    void aServerThatFallsSilentPastThePingTimeoutIsLeftForANewSocket() throws Exception {
        room.pings(1, 2);
        try (SignalClient client = client(room.token("agent", "r"))) {
            client.connect();
            room.awaitParticipant("agent", 2_000).answerPings = false;
            assertThat(resumes.poll(6, TimeUnit.SECONDS)).as("resumed after the ping timeout").isNotNull();
            assertThat(room.arrivals().getLast().query()).containsEntry("reconnect", "1");
            assertThat(context.logger().contains("ping timeout 2 s")).isTrue();
        }
    }

    @Test
    void aResumeTheServerRefusesEndsTheSessionWithAReason() throws Exception {
        room.resumeAllowed(false);
        try (SignalClient client = client(room.token("agent", "r"))) {
            client.connect();
            room.dropSocket(room.awaitParticipant("agent", 2_000));
            String reason = lost.poll(5, TimeUnit.SECONDS);
            assertThat(reason).contains("would not resume").contains("RECONNECT");
        }
    }

    @Test
    void aLeaveFromTheServerReachesTheListenerAndIsNotResumed() throws Exception {
        try (SignalClient client = client(room.token("agent", "r"))) {
            client.connect();
            room.removeFromRoom(room.awaitParticipant("agent", 2_000));
            SignalResponse leave = nextMessage(SignalResponse.MessageCase.LEAVE);
            assertThat(leave.getLeave().getReason()).isEqualTo(DisconnectReason.ROOM_DELETED);
            // the server closed the socket after its leave: that is the end of the session, not a link to resume
            Thread.sleep(300);
            assertThat(room.arrivals()).hasSize(1);
            assertThat(resumes).isEmpty();
        }
    }
}
