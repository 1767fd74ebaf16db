package ai.piopiy.plugin.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.piopiy.Agent;
import ai.piopiy.CreateSession;
import ai.piopiy.LogCapture;
import ai.piopiy.NodeSignalingServer;
import ai.piopiy.VoiceAgent;
import ai.piopiy.plugin.livekit.testing.CallAudio;
import ai.piopiy.plugin.livekit.testing.MediaNamespace;
import ai.piopiy.plugin.livekit.testing.NodeCaller;
import ai.piopiy.plugin.livekit.testing.TestRoomServer;
import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.runtime.pipeline.CallOutcome;
import ai.piopiy.spi.audio.Pcm16;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.vad.VadParams;
import ai.piopiy.testing.FakeLlmService;
import ai.piopiy.testing.FakeSttService;
import ai.piopiy.testing.FakeTtsService;
import ai.piopiy.testing.Tones;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import livekit.LivekitRtc.SignalRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole Piopiy call, as in production but on this machine: the signaling server (the runtime's Socket.IO v4
 * stand-in, npm {@code socket.io}) invites the {@link Agent} with {@code join_room}; the session builds a
 * {@link VoiceAgent} without a transport, which joins the invite's LiveKit room through this plugin (found on the
 * class path) and runs the pipeline with the test kit's STT, LLM and TTS; the caller is LiveKit's official client
 * ({@code @livekit/rtc-node}) in the Java test room server, both with tokens from LiveKit's own
 * {@code livekit-server-sdk}. The caller hears the greeting, speaks, hears the answer; then {@code cancel_room} or
 * the caller's hang-up ends the call. Runs in the media tests' private network namespace.
 */
class PiopiyCallOverLiveKitIT {

    private static final String AGENT_ID = "agent-7";
    private static final String AGENT_TOKEN = "agent-token-s3cr3t";
    private static final String ROOM = "call-e2e";
    /** 13 words: 1.3 s of the TTS's tone, 65 windows of 20 ms. */
    private static final String GREETING = "Hello! Thanks for calling the test line. How can I help you today?";
    private static final String QUESTION = "what time is it";
    /** 8 words: 0.8 s, 40 windows. */
    private static final String ANSWER = "It is twelve o'clock in the test room.";
    private static final int WORD_MS = 100;
    private static final double AGENT_HZ = 660;
    private static final double CALLER_HZ = 440;
    private static final VadParams FAST_VAD = new VadParams(0.7, 0.06, 0.3, 0.6);

    private final List<String> secrets = new CopyOnWriteArrayList<>(List.of(AGENT_TOKEN));
    private LogCapture logs;
    private TestRoomServer room;
    private NodeSignalingServer signaling;
    private Agent agent;
    private final Session session = new Session();

    @BeforeEach
    void start() throws Exception {
        MediaNamespace.assume();
        String missing = NodeCaller.unavailable();
        assumeTrue(missing == null, missing);
        missing = NodeSignalingServer.unavailable();
        assumeTrue(missing == null, missing);
        logs = new LogCapture();
        room = new TestRoomServer(true);
        signaling = NodeSignalingServer.start(AGENT_ID, AGENT_TOKEN);
        agent = Agent.builder(AGENT_ID, AGENT_TOKEN, session)
                .signalingUrl(signaling.url())
                .stopTimeout(Duration.ofSeconds(20))
                .debug(true) // each invite logged at INFO, its room token redacted
                .build();
        agent.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.shutdown();
        }
        if (signaling != null) {
            signaling.close();
        }
        if (room != null) {
            room.close();
        }
        if (logs != null) {
            logs.close();
            assertThat(logs.text()).as("no token in any log line").doesNotContain(secrets.toArray(String[]::new));
        }
    }

    @Test
    void theCallerHearsTheGreetingIsAnsweredAndCancelRoomEndsTheCall(@TempDir Path dir) throws Exception {
        TestRoomServer.Participant atRoom = invite();
        Path heard = dir.resolve("caller-heard.pcm");
        try (NodeCaller caller = joinCaller(dir, heard)) {
            session.awaitEvent("bot stopped speaking", 1, 20); // the greeting
            Thread.sleep(300); // its last packets on their way to the caller

            caller.send("speak");
            int heardBeforeSpeaking = caller.awaitEvent("speaking", 5_000).path("heardBytes").asInt();
            caller.awaitEvent("spoke", 10_000);
            session.awaitEvent("turn " + QUESTION, 1, 15);
            session.awaitEvent("bot stopped speaking", 2, 15); // the answer
            Thread.sleep(300);

            signaling.emit("cancel_room", Map.of("room_name", ROOM));
            assertThatThrownBy(() -> session.outcome.get(20, TimeUnit.SECONDS))
                    .as("cancel_room interrupts the session: VoiceAgent.start() ends")
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InterruptedException.class);
            assertThat(atRoom.next(SignalRequest.MessageCase.LEAVE, 10_000).getLeave().getReason())
                    .as("the agent leaves the room").isEqualTo(livekit.LivekitModels.DisconnectReason.CLIENT_INITIATED);
            assertThat(caller.awaitEvent("participant_left", 10_000).path("identity").asText()).isEqualTo("agent");
            waitUntil(() -> agent.activeCalls() == 0, "the Agent counts the call as ended");

            caller.send("hangup");
            caller.awaitEvent("hungup", 10_000);
            assertThat(caller.awaitExit(10_000)).isZero();

            byte[] all = Files.readAllBytes(heard);
            byte[] greeting = Arrays.copyOfRange(all, 0, Math.min(heardBeforeSpeaking, all.length));
            byte[] answer = Arrays.copyOfRange(all, Math.min(heardBeforeSpeaking, all.length), all.length);
            int greetingWindows = CallAudio.windowsOf(greeting, 16_000, AGENT_HZ, CALLER_HZ);
            int answerWindows = CallAudio.windowsOf(answer, 16_000, AGENT_HZ, CALLER_HZ);
            System.out.printf("Piopiy call over LiveKit: the caller heard the greeting in %d windows of 20 ms (of 65), the answer"
                            + " in %d (of 40); the loudest caller audio the STT got had an RMS of %.0f; timeline %s%n",
                    greetingWindows, answerWindows, session.loudestSttInput, session.events);
            // the caller is loud and clear (every counted window has an RMS of at least 1000), and each utterance lasts
            // about as long as the TTS made it: neither cut short nor stretched by the relay
            assertThat(greetingWindows).as("20 ms windows of the greeting the caller heard (of 65)").isBetween(45, 85);
            assertThat(answerWindows).as("20 ms windows of the answer the caller heard (of 40)").isBetween(28, 55);
            assertThat(session.loudestSttInput).as("the caller's speech reaches the STT as PCM with energy").isGreaterThan(1_000);
            assertThat(session.stt.finals).containsExactly(QUESTION);
        }
        assertThat(session.events).contains("bot said " + GREETING, "bot said " + ANSWER).noneMatch(e -> e.startsWith("error"));
    }

    @Test
    void theCallersHangUpEndsTheCall(@TempDir Path dir) throws Exception {
        TestRoomServer.Participant atRoom = invite();
        Path heard = dir.resolve("caller-heard.pcm");
        try (NodeCaller caller = joinCaller(dir, heard)) {
            session.awaitEvent("bot stopped speaking", 1, 20);
            Thread.sleep(300);
            caller.send("hangup");
            caller.awaitEvent("hungup", 10_000);

            CallOutcome outcome = session.outcome.get(20, TimeUnit.SECONDS);
            assertThat(outcome.cancelled()).isTrue();
            assertThat(outcome.reason()).contains("caller left").contains("CLIENT_INITIATED");
            assertThat(atRoom.next(SignalRequest.MessageCase.LEAVE, 10_000)).as("the agent leaves the room").isNotNull();
            waitUntil(() -> agent.activeCalls() == 0, "the Agent counts the call as ended");
            assertThat(CallAudio.windowsOf(Files.readAllBytes(heard), 16_000, AGENT_HZ, CALLER_HZ))
                    .as("20 ms windows of the greeting the caller heard before hanging up (of 65)").isBetween(45, 85);
        }
    }

    /** The signaling server invites the agent to the room; returns the agent as the room sees it once it joined. */
    private TestRoomServer.Participant invite() throws Exception {
        String agentRoomToken = NodeCaller.officialToken(TestRoomServer.API_KEY, TestRoomServer.API_SECRET, "agent", ROOM);
        secrets.add(agentRoomToken);
        signaling.emit("join_room", Map.of("room_name", ROOM, "token", agentRoomToken, "url", room.url(),
                "call_id", "call-1", "from_number", "+15550100", "to_number", "+15550199"));
        TestRoomServer.Participant atRoom = room.awaitParticipant("agent", 20_000);
        session.awaitEvent("joined the room", 1, 20);
        return atRoom;
    }

    /** The caller joins after the agent, as in a real call; it hears the agent and has published its microphone. */
    private NodeCaller joinCaller(Path dir, Path heard) throws Exception {
        Path wav = dir.resolve("caller-says.wav");
        CallAudio.writeWav(wav, 16_000, Tones.tone(16_000, CALLER_HZ, 8_000, 1_000));
        String token = NodeCaller.officialToken(TestRoomServer.API_KEY, TestRoomServer.API_SECRET, "caller", ROOM);
        secrets.add(token);
        NodeCaller caller = new NodeCaller(room.url(), token, wav, heard);
        caller.awaitEvent("joined", 15_000);
        caller.awaitEvent("published", 10_000);
        caller.awaitEvent("subscribed", 10_000);
        return caller;
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    /**
     * What the Agent runs for each call: a VoiceAgent without a transport, as an application would write it, with
     * the test kit's services (the STT measured on the way in). It keeps how the call went.
     */
    private static final class Session implements CreateSession, CallEventListener {
        final FakeSttService stt = new FakeSttService(List.of(QUESTION), 150, 80);
        final List<String> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<CallOutcome> outcome = new CompletableFuture<>();
        volatile double loudestSttInput;

        @Override
        public void create(String agentId, String callId, String fromNumber, String toNumber, Map<String, Object> metadata)
                throws Exception {
            VoiceAgent voice = new VoiceAgent("You are a test agent.", GREETING)
                    .vadParams(FAST_VAD)
                    .action(measured(stt),
                            new FakeLlmService("fake-llm", List.of(FakeLlmService.Rule.say("time", ANSWER)), "Sorry?", 5),
                            new FakeTtsService("tone", AGENT_HZ, WORD_MS, 30, false),
                            true, false, null)
                    .addEventListener(this);
            try {
                outcome.complete(voice.start());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
                throw e;
            }
        }

        private SttService measured(SttService stt) {
            return new SttService() {
                @Override
                public String name() {
                    return stt.name();
                }

                @Override
                public SttStream openStream(SttStreamSpec spec, SttListener listener) {
                    SttStream stream = stt.openStream(spec, listener);
                    return new SttStream() {
                        @Override
                        public void sendAudio(byte[] pcm, int offset, int length) {
                            loudestSttInput = Math.max(loudestSttInput, Pcm16.rms(pcm, offset, length));
                            stream.sendAudio(pcm, offset, length);
                        }

                        @Override
                        public void userStartedSpeaking() {
                            stream.userStartedSpeaking();
                        }

                        @Override
                        public void userStoppedSpeaking() {
                            stream.userStoppedSpeaking();
                        }

                        @Override
                        public void close() {
                            stream.close();
                        }
                    };
                }
            };
        }

        @Override
        public void callStarted(String callId, long atNanos) {
            events.add("joined the room");
        }

        @Override
        public void userTurnEnded(String text, long atNanos) {
            events.add("turn " + text);
        }

        @Override
        public void botStoppedSpeaking(long atNanos) {
            events.add("bot stopped speaking");
        }

        @Override
        public void botSaid(String text, boolean interrupted, long atNanos) {
            events.add("bot said " + text);
        }

        @Override
        public void error(ai.piopiy.spi.frame.ErrorFrame error) {
            events.add("error " + error);
        }

        @Override
        public void callEnded(String reason, boolean cancelled, long atNanos) {
            events.add("ended " + reason);
        }

        /** Waits until the call reported {@code event} {@code times} times. */
        void awaitEvent(String event, int times, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (events.stream().filter(event::equals).count() < times) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the call did not report \"" + event + "\" " + times + " time(s) within "
                            + seconds + " s; it reported " + events);
                }
                Thread.sleep(20);
            }
        }
    }
}
