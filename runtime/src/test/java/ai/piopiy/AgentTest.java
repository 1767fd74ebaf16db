package ai.piopiy;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import ai.piopiy.SignalingException.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Agent against a real Socket.IO v4 server (node + the npm socket.io package). */
class AgentTest {

    private static final String AGENT_ID = "agent-42";
    private static final String AGENT_TOKEN = "agent-token-s3cr3t";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private NodeSignalingServer server;
    private final List<Agent> agents = new ArrayList<>();
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void startServer() throws Exception {
        server = NodeSignalingServer.start(AGENT_ID, AGENT_TOKEN);
    }

    @AfterEach
    void stopAll() throws Exception {
        agents.forEach(Agent::shutdown);
        server.close();
    }

    @Test
    void joinsWithTheAuthPayloadAndRunsEachCallWithItsContext() throws Exception {
        Agent agent = started(builder(recorder));

        JsonNode auth = server.awaitReport("auth", 1);
        assertThat(auth.get("agent_id").asText()).isEqualTo(AGENT_ID);
        assertThat(auth.get("token_ok").asBoolean()).isTrue();
        assertThat(agent.isConnected()).isTrue();
        // Engine.IO starts on HTTP long-polling and upgrades to WebSocket: both run on OkHttp 5
        assertThat(server.awaitReport("connected", 1).get("transport").asText()).isEqualTo("polling");
        assertThat(server.awaitReport("upgraded", 1).get("transport").asText()).isEqualTo("websocket");

        server.emit("join_room", invite("room-1"));
        Call call = recorder.nextCall();
        assertThat(call.agentId()).isEqualTo(AGENT_ID);
        assertThat(call.callId()).isEqualTo("call-room-1");
        assertThat(call.from()).isEqualTo("+911234567890");
        assertThat(call.to()).isEqualTo("+918000000000");
        assertThat(call.metadata()).containsExactlyEntriesOf(Map.of("lang", "en"));
        assertThat(call.context().url()).isEqualTo("wss://media.example.test");
        assertThat(call.context().token()).isEqualTo("room-token-room-1");
        assertThat(call.context().room()).isEqualTo("room-1");
        assertThat(call.context().callId()).isEqualTo("call-room-1");
        assertThat(call.threadName()).isEqualTo("piopiy-call-room-1");
        assertThat(call.virtualThread()).isTrue();
        assertThat(agent.activeCalls()).isEqualTo(1);
    }

    @Test
    void anInviteWithoutUrlOrIdsFallsBackToTheSignalingUrlTheRoomAndTheAgent() throws Exception {
        started(builder(recorder));

        server.emit("join_room", Map.of("room_name", "room-bare", "token", "t-bare"));
        Call call = recorder.nextCall();
        assertThat(call.context().url()).isEqualTo(server.url());
        assertThat(call.callId()).isEqualTo("room-bare");
        assertThat(call.agentId()).isEqualTo(AGENT_ID);
        assertThat(call.from()).isNull();
        assertThat(call.to()).isNull();
        assertThat(call.metadata()).isEmpty();
    }

    @Test
    void theCallContextReachesThreadsStartedThroughCallThreadsButNotPlainThreads() throws Exception {
        AtomicReference<String> viaCallThreads = new AtomicReference<>();
        AtomicReference<Boolean> plainThreadSawContext = new AtomicReference<>();
        started(builder((agentId, callId, from, to, metadata) -> {
            Thread bound = CallThreads.startVirtualThread("tool", () -> viaCallThreads.set(CallContext.require().room()));
            Thread plain = new Thread(() -> plainThreadSawContext.set(CallContext.current().isPresent()));
            plain.start();
            bound.join();
            plain.join();
            recorder.create(agentId, callId, from, to, metadata);
        }));

        server.emit("join_room", invite("room-ctx"));
        recorder.nextCall();
        assertThat(viaCallThreads.get()).isEqualTo("room-ctx");
        assertThat(plainThreadSawContext.get()).isFalse();
        assertThat(CallContext.current()).isEmpty();
    }

    @Test
    void rejectedCredentialsFailTheConnectWithTheServersReasonAndNoRetry() throws Exception {
        Agent agent = Agent.builder(AGENT_ID, "wrong-token-value", recorder).signalingUrl(server.url())
                .connectTimeout(Duration.ofSeconds(3)).reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
                .build();
        agents.add(agent);
        long started = System.nanoTime();

        assertThatThrownBy(agent::start)
                .isInstanceOfSatisfying(SignalingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REJECTED))
                .hasMessageContaining("rejected agent " + AGENT_ID)
                .hasMessageContaining("invalid agent credentials")
                .hasMessageContaining("token rejected")
                .hasMessageNotContaining("wrong-token-value");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

        Thread.sleep(300); // three reconnect delays: a retry would have shown by now
        assertThat(server.count("auth")).isEqualTo(1);
        assertThatThrownBy(agent::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnreachableServerFailsTheConnectSayingSo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Agent agent = Agent.builder(AGENT_ID, AGENT_TOKEN, recorder).signalingUrl("http://127.0.0.1:" + closedPort)
                .connectTimeout(Duration.ofSeconds(2)).build();
        agents.add(agent);

        assertThatThrownBy(agent::start)
                .isInstanceOfSatisfying(SignalingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
                .hasMessageContaining("cannot reach the signaling server at http://127.0.0.1:" + closedPort)
                .hasMessageNotContaining(AGENT_TOKEN);
    }

    @Test
    void connectBlocksUntilShutdownAndFailsLikeStart() throws Exception {
        Agent agent = builder(recorder).build();
        agents.add(agent);
        CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> {
            try {
                agent.connect();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        waitUntil(agent::isConnected, "the agent connected");
        Thread.sleep(100);
        assertThat(loop).isNotDone();

        agent.shutdown();
        loop.get(5, SECONDS);

        Agent refused = Agent.builder(AGENT_ID, "bad", recorder).signalingUrl(server.url()).build();
        agents.add(refused);
        assertThatThrownBy(refused::connect).isInstanceOf(SignalingException.class);
    }

    @Test
    void metadataIsDecodedFromEachEncodingAndKeptRawWhenItCannotBe() throws Exception {
        started(builder(recorder));
        String json = "{\"lang\":\"en\",\"customer\":{\"id\":7}}";
        Map<String, Object> decoded = Map.of("lang", "en", "customer", Map.of("id", 7));

        server.emit("join_room", invite("m-object", Map.of("lang", "en", "customer", Map.of("id", 7))));
        assertThat(recorder.nextCall().metadata()).isEqualTo(decoded);
        server.emit("join_room", invite("m-string", json));
        assertThat(recorder.nextCall().metadata()).isEqualTo(decoded);
        server.emit("join_room", invite("m-twice", "\"" + json.replace("\"", "\\\"") + "\""));
        assertThat(recorder.nextCall().metadata()).isEqualTo(decoded);
        server.emit("join_room", invite("m-escaped", json.replace("}", "\\}")));
        assertThat(recorder.nextCall().metadata()).isEqualTo(decoded);
        server.emit("join_room", invite("m-raw", "not json {"));
        assertThat(recorder.nextCall().metadata()).isEqualTo(Map.of("raw", "not json {"));
    }

    @Test
    void invitesWithoutRoomOrTokenAndInvitesForABusyRoomAreIgnoredWithAWarning() throws Exception {
        started(builder(recorder));
        try (LogCapture logs = new LogCapture()) {
            server.emit("join_room", Map.of("token", "t-1", "call_id", "no-room"));
            server.emit("join_room", Map.of("room_name", "room-no-token"));
            server.emit("join_room", "not an object");
            server.emit("join_room", invite("room-dup"));
            Call first = recorder.nextCall();
            server.emit("join_room", invite("room-dup"));

            waitUntil(() -> logs.text().contains("a session for that room is still running"), "the duplicate warned about");
            assertThat(logs.text())
                    .contains("WARN ai.piopiy.Agent - ignored an invite: join_room without room_name")
                    .contains("WARN ai.piopiy.Agent - ignored an invite: join_room without token")
                    .contains("WARN ai.piopiy.Agent - ignored an invite: join_room payload is not a JSON object")
                    .doesNotContain("t-1");
            assertThat(first.context().room()).isEqualTo("room-dup");
            assertThat(recorder.calls).isEmpty();
        }
    }

    @Test
    void cancelRoomInterruptsTheCallAndItsRoomStaysBusyUntilTheCallEnded() throws Exception {
        recorder.cleanupAfterInterrupt = Duration.ofMillis(400);
        Agent agent = started(builder(recorder));
        server.emit("join_room", invite("room-c"));
        recorder.nextCall();
        server.emit("join_room", invite("room-other"));
        recorder.nextCall();

        try (LogCapture logs = new LogCapture()) {
            server.emit("cancel_room", Map.of("room_name", "room-c"));
            waitUntil(() -> recorder.interrupted.contains("call-room-c"), "the call was interrupted");
            server.emit("join_room", invite("room-c"));
            waitUntil(() -> logs.text().contains("ignored join_room for room room-c"), "re-invite while cleaning up ignored");
        }
        assertThat(recorder.ended.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("call-room-c");
        waitUntil(() -> agent.activeCalls() == 1, "only the other call runs");
        assertThat(recorder.interrupted).containsExactly("call-room-c");

        server.emit("join_room", invite("room-c"));
        assertThat(recorder.nextCall().context().room()).isEqualTo("room-c");
    }

    @Test
    void afterTheServerRestartsTheAgentReconnectsAndTakesNewCallsWhileTheEarlierOneGoesOn() throws Exception {
        Agent agent = started(builder(recorder));
        server.emit("join_room", invite("room-before"));
        recorder.nextCall();

        server.restart(Duration.ofMillis(300));
        server.awaitReport("connected", 2);
        waitUntil(agent::isConnected, "the agent reconnected");
        server.emit("join_room", invite("room-after"));

        assertThat(recorder.nextCall().context().room()).isEqualTo("room-after");
        assertThat(agent.activeCalls()).isEqualTo(2);
        assertThat(recorder.interrupted).isEmpty();
        assertThat(server.count("auth")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aServerThatDisconnectsTheAgentOnPurposeIsJoinedAgain() throws Exception {
        Agent agent = started(builder(recorder));
        server.emit("join_room", invite("room-kept"));
        recorder.nextCall();

        server.kick();
        server.awaitReport("connected", 2);
        waitUntil(agent::isConnected, "the agent reconnected");
        server.emit("join_room", invite("room-new"));
        assertThat(recorder.nextCall().context().room()).isEqualTo("room-new");
        assertThat(recorder.interrupted).isEmpty();
    }

    @Test
    void anAgentRefusedWhileReconnectingKeepsTryingAndItsCallsGoOn() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            Agent agent = started(builder(recorder));
            server.emit("join_room", invite("room-long"));
            recorder.nextCall();

            server.credentials(AGENT_ID, "rotated-token");
            server.kick();
            server.awaitReport(report -> "auth".equals(report.path("event").asText()) && !report.get("ok").asBoolean(),
                    2, "two refused reconnects");
            assertThat(logs.text()).contains("reconnecting: the signaling server at " + server.url()
                    + " rejected agent " + AGENT_ID + ": invalid agent credentials");
            assertThat(agent.isConnected()).isFalse();

            server.credentials(AGENT_ID, AGENT_TOKEN);
            server.awaitReport("connected", 2);
            waitUntil(agent::isConnected, "the agent rejoined");
            assertThat(recorder.interrupted).isEmpty();
            assertThat(agent.activeCalls()).isEqualTo(1);
        }
    }

    @Test
    void shutdownDisconnectsThenCancelsAndAwaitsEveryCall() throws Exception {
        recorder.cleanupAfterInterrupt = Duration.ofMillis(200);
        Agent agent = started(builder(recorder));
        for (String room : List.of("s-1", "s-2", "s-3")) {
            server.emit("join_room", invite(room));
            recorder.nextCall();
        }

        agent.shutdown();

        assertThat(recorder.interrupted).containsExactlyInAnyOrder("call-s-1", "call-s-2", "call-s-3");
        assertThat(recorder.ended).hasSize(3);
        assertThat(agent.activeCalls()).isZero();
        assertThat(agent.isConnected()).isFalse();
        JsonNode disconnect = server.awaitReport("disconnected", 1);
        assertThat(disconnect.get("reason").asText()).isEqualTo("client namespace disconnect");
        agent.shutdown(); // idempotent
        // OkHttp's non-daemon dispatcher threads would keep a JVM alive for a minute after main returns
        waitUntil(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> !thread.isDaemon() && thread.getName().startsWith("OkHttp")),
                "OkHttp's non-daemon threads ended");
    }

    @Test
    void aCallThatIgnoresInterruptionDelaysShutdownOnlyUpToTheStopTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LogCapture logs = new LogCapture()) {
            Agent agent = started(builder((agentId, callId, from, to, metadata) -> {
                recorder.calls.add(new Call(agentId, callId, from, to, metadata, CallContext.require(), "", true));
                while (release.getCount() > 0) {
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // deaf to interrupts
                }
            }).stopTimeout(Duration.ofMillis(300)));
            server.emit("join_room", invite("room-deaf"));
            recorder.nextCall();

            long started = System.nanoTime();
            agent.shutdown();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(logs.text()).contains("call call-room-deaf (room room-deaf) still running 300 ms after it was cancelled");
        } finally {
            release.countDown();
        }
    }

    @Test
    void invitesBeyondTheMaximumOfConcurrentCallsAreDeclinedWithAWarning() throws Exception {
        Agent agent = started(builder(recorder).maxConcurrentCalls(2));
        server.emit("join_room", invite("max-1"));
        recorder.nextCall();
        server.emit("join_room", invite("max-2"));
        recorder.nextCall();

        try (LogCapture logs = new LogCapture()) {
            server.emit("join_room", invite("max-3"));
            waitUntil(() -> logs.text().contains("declined call call-max-3 (room max-3): 2 calls are running"),
                    "the third call declined");
        }
        assertThat(recorder.calls).isEmpty();
        assertThat(agent.activeCalls()).isEqualTo(2);

        server.emit("cancel_room", Map.of("room_name", "max-1"));
        waitUntil(() -> agent.activeCalls() == 1, "a call ended");
        server.emit("join_room", invite("max-3"));
        assertThat(recorder.nextCall().context().room()).isEqualTo("max-3");
    }

    @Test
    void debugLogsEachInviteWithTheRoomTokenAndSecretsRedacted() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            started(builder(recorder).debug(true));
            Map<String, Object> payload = invite("room-dbg", "{\"lang\":\"hi\",\"crm_api_key\":\"sk-live-123\"}");
            payload.put("token", "eyJroom.token.VALUE");
            server.emit("join_room", payload);
            recorder.nextCall();

            String line = logs.text().lines().filter(l -> l.contains("join_room {")).findFirst().orElseThrow();
            assertThat(line).startsWith("[").contains("INFO ai.piopiy.Agent - join_room")
                    .contains("\"room_name\":\"room-dbg\"")
                    .contains("\"token\":\"****\"")
                    .contains("\"crm_api_key\":\"****\"")
                    .contains("\"lang\":\"hi\"");
            assertThat(logs.text()).doesNotContain("eyJroom.token.VALUE").doesNotContain("sk-live-123")
                    .doesNotContain(AGENT_TOKEN);
        }
    }

    @Test
    void withoutDebugTheInviteIsNotLoggedAtInfo() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            started(builder(recorder));
            server.emit("join_room", invite("room-quiet"));
            recorder.nextCall();
            // the "started" line and the session's start race each other: give the line a moment
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (!logs.text().contains("call call-room-quiet started") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(logs.text()).doesNotContain("join_room {").contains("call call-room-quiet started");
        }
    }

    @Test
    void aCallThatDoesNotAcceptInTimeIsCancelled() throws Exception {
        Agent agent = started(builder((agentId, callId, from, to, metadata) -> {
            if (callId.equals("call-accepting")) {
                // as a media transport would: from its own thread, bound to the call
                AtomicReference<Boolean> accepted = new AtomicReference<>();
                CallThreads.startVirtualThread("media", () -> accepted.set(Agent.acceptCall())).join();
                assertThat(accepted.get()).isTrue();
            }
            recorder.create(agentId, callId, from, to, metadata);
        }).acceptTimeout(Duration.ofMillis(300)));

        server.emit("join_room", invite("accepting"));
        server.emit("join_room", invite("silent"));
        recorder.nextCall();
        recorder.nextCall();

        assertThat(recorder.ended.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("call-silent");
        assertThat(recorder.interrupted).containsExactly("call-silent");
        Thread.sleep(300);
        assertThat(agent.activeCalls()).isEqualTo(1);
        assertThat(Agent.acceptCall()).isFalse();
    }

    @Test
    void aFailingCallIsLoggedAndHarmsNoOtherCall() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            Agent agent = started(builder((agentId, callId, from, to, metadata) -> {
                if (callId.equals("call-bad")) {
                    throw new IllegalStateException("the session broke");
                }
                recorder.create(agentId, callId, from, to, metadata);
            }));
            server.emit("join_room", invite("good"));
            recorder.nextCall();
            server.emit("join_room", invite("bad"));

            waitUntil(() -> logs.text().contains("call call-bad (room bad) failed"), "the failure logged");
            assertThat(logs.text()).contains("java.lang.IllegalStateException: the session broke");
            waitUntil(() -> agent.activeCalls() == 1, "the failed call is gone");
            assertThat(recorder.interrupted).isEmpty();
            server.emit("join_room", invite("bad-then-good"));
            assertThat(recorder.nextCall().context().room()).isEqualTo("bad-then-good");
        }
    }

    private Agent.Builder builder(CreateSession createSession) {
        return Agent.builder(AGENT_ID, AGENT_TOKEN, createSession)
                .signalingUrl(server.url())
                .connectTimeout(Duration.ofSeconds(3))
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(300))
                .stopTimeout(Duration.ofSeconds(3));
    }

    private Agent started(Agent.Builder builder) throws Exception {
        Agent agent = builder.build();
        agents.add(agent);
        agent.start();
        return agent;
    }

    private static Map<String, Object> invite(String room) {
        return invite(room, Map.of("lang", "en"));
    }

    private static Map<String, Object> invite(String room, Object metadata) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("room_name", room);
        payload.put("token", "room-token-" + room);
        payload.put("url", "wss://media.example.test");
        payload.put("call_id", "call-" + room);
        payload.put("agent_id", AGENT_ID);
        payload.put("from_number", "+911234567890");
        payload.put("to_number", "+918000000000");
        payload.put("metadata", metadata);
        return payload;
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT.toMillis() + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }

    record Call(String agentId, String callId, String from, String to, Map<String, Object> metadata,
                CallContext context, String threadName, boolean virtualThread) {}

    /** A session that records its call and runs until it is interrupted, then cleans up for a while. */
    static final class Recorder implements CreateSession {
        final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        final BlockingQueue<String> ended = new LinkedBlockingQueue<>();
        final List<String> interrupted = new CopyOnWriteArrayList<>();
        volatile Duration cleanupAfterInterrupt = Duration.ZERO;

        @Override
        public void create(String agentId, String callId, String fromNumber, String toNumber, Map<String, Object> metadata)
                throws InterruptedException {
            calls.add(new Call(agentId, callId, fromNumber, toNumber, metadata, CallContext.require(),
                    Thread.currentThread().getName(), Thread.currentThread().isVirtual()));
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                interrupted.add(callId);
                // hanging up takes a while; a cancel must wait for it
                long until = System.nanoTime() + cleanupAfterInterrupt.toNanos();
                while (System.nanoTime() < until) {
                    LockSupport.parkNanos(until - System.nanoTime());
                }
                ended.add(callId);
                throw e;
            }
        }

        Call nextCall() throws InterruptedException {
            Call call = calls.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (call == null) {
                fail("no call started within " + WAIT.toMillis() + " ms");
            }
            return call;
        }
    }
}
