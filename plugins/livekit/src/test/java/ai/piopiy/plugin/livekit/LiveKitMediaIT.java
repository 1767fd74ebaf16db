package ai.piopiy.plugin.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.audio.Pcm16;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportListener;
import ai.piopiy.testing.RecordingProviderContext;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two of our transports in one room of the test room server, which relays audio between them through WebRTC
 * (Opus both ways): the agent hears the caller's tone at 16 kHz, the caller hears the agent's, and the caller
 * leaving ends the agent's call. Runs in the private network namespace the test JVM wrapper makes.
 */
class LiveKitMediaIT {

    private RecordingProviderContext context;
    private TestRoomServer room;
    private LiveKitTransportService service;

    @BeforeEach
    void start() throws Exception {
        assumeTrue("1".equals(System.getenv("PIOPIY_MEDIA_NETNS")),
                "media tests need the private network namespace of src/test/netns/bin/java (root, unshare, ip, veth); not available here");
        context = new RecordingProviderContext("livekit");
        room = new TestRoomServer(true);
        service = new LiveKitProviderFactory().create(ProviderConfig.of("transport", Map.of(), Map.of()), context);
    }

    @AfterEach
    void stop() throws Exception {
        opened.forEach(CallTransport::close);
        if (service != null) {
            service.close();
            room.close();
            context.close();
        }
    }

    /** What a transport delivered. */
    private static final class Recorder implements TransportListener {
        final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        volatile long firstLoudNanos;

        @Override
        public synchronized void onAudio(byte[] pcm) {
            if (firstLoudNanos == 0 && Pcm16.rms(pcm) > 500) {
                firstLoudNanos = System.nanoTime();
            }
            audio.write(pcm, 0, pcm.length);
        }

        @Override
        public void onCallerJoined(String participantId) {
            events.add("joined " + participantId);
        }

        @Override
        public void onCallerLeft(String participantId, String reason) {
            events.add("left " + participantId + " " + reason);
        }

        @Override
        public void onError(String message, Throwable cause, boolean fatal) {
            events.add("error " + message);
        }

        synchronized byte[] audio() {
            return audio.toByteArray();
        }
    }

    private final java.util.List<CallTransport> opened = new java.util.ArrayList<>();
    private final java.util.List<String> tokens = new java.util.ArrayList<>();

    private CallTransport join(String identity) {
        String token = room.token(identity, "call-42");
        tokens.add(token);
        CallTransport t = service.open(new CallInfo("call-" + identity, "agent-1", null, null, room.url(), token, "call-42", Map.of()));
        opened.add(t);
        return t;
    }

    /**
     * Both sides write in real time, 20 ms at a time as the runtime paces output: {@code first} a tone for
     * {@code millis}, then {@code second} its tone for as long, each silent while the other speaks.
     */
    private static void converse(CallTransport first, double firstHz, CallTransport second, double secondHz, int millis) {
        int rate = first.outputFormat().sampleRate();
        int samples = rate / 50;
        byte[] tone = new byte[samples * 2];
        byte[] quiet = new byte[samples * 2];
        long next = System.nanoTime();
        int chunks = millis / 20;
        for (int c = 0, n = 0; c < 2 * chunks; c++) {
            boolean firstTurn = c < chunks;
            double hz = firstTurn ? firstHz : secondHz;
            for (int i = 0; i < samples; i++, n++) {
                Pcm16.putSample(tone, i, (short) (8_000 * Math.sin(2 * Math.PI * hz * n / rate)));
            }
            first.writeAudio(firstTurn ? tone : quiet, 0, samples * 2);
            second.writeAudio(firstTurn ? quiet : tone, 0, samples * 2);
            next += 20_000_000L;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    /** How many 20 ms windows of the recording carry mostly {@code hz} (Goertzel power against the other tone). */
    private static int windowsOf(byte[] pcm, int rate, double hz, double otherHz) {
        int window = rate / 50;
        int count = 0;
        for (int start = 0; start + window <= pcm.length / 2; start += window) {
            if (Pcm16.rms(pcm, start * 2, window * 2) < 1_000) {
                continue;
            }
            if (power(pcm, start, window, rate, hz) > 10 * power(pcm, start, window, rate, otherHz)) {
                count++;
            }
        }
        return count;
    }

    private static double power(byte[] pcm, int start, int length, int rate, double hz) {
        double coeff = 2 * Math.cos(2 * Math.PI * hz / rate);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < length; i++) {
            double s0 = Pcm16.sample(pcm, start + i) + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }

    @Test
    void theAgentHearsTheCallerTheCallerHearsTheAgentAndTheCallerLeavingEndsTheCall() throws Exception {
        long t0 = System.nanoTime();
        CallTransport agent = join("agent");
        long agentJoinedMillis = (System.nanoTime() - t0) / 1_000_000;
        Recorder atAgent = new Recorder();
        agent.start(atAgent);
        assertThat(agent.inputFormat().sampleRate()).isEqualTo(16_000);
        assertThat(agent.outputFormat().sampleRate()).isEqualTo(8_000);

        long t1 = System.nanoTime();
        CallTransport caller = join("caller");
        long callerJoinedMillis = (System.nanoTime() - t1) / 1_000_000;
        Recorder atCaller = new Recorder();
        caller.start(atCaller);
        assertThat(atAgent.events.poll(5, TimeUnit.SECONDS)).isEqualTo("joined caller");

        long speakStart = System.nanoTime();
        converse(caller, 440, agent, 660, 1_500);
        Thread.sleep(300);

        byte[] heardByAgent = atAgent.audio();
        byte[] heardByCaller = atCaller.audio();
        int agentHeard440 = windowsOf(heardByAgent, 16_000, 440, 660);
        int agentHeard660 = windowsOf(heardByAgent, 16_000, 660, 440);
        int callerHeard660 = windowsOf(heardByCaller, 16_000, 660, 440);
        int callerHeard440 = windowsOf(heardByCaller, 16_000, 440, 660);
        System.out.printf("join: agent %d ms, caller %d ms; first caller audio at the agent after %d ms; the agent heard "
                        + "440 Hz in %d and 660 Hz in %d windows of 20 ms; the caller heard 660 Hz in %d and 440 Hz in %d%n",
                agentJoinedMillis, callerJoinedMillis, (atAgent.firstLoudNanos - speakStart) / 1_000_000,
                agentHeard440, agentHeard660, callerHeard660, callerHeard440);
        // 1.5 s is 75 windows; the first ones go to ICE-warm jitter buffers
        assertThat(agentHeard440).as("windows of the caller's tone at the agent").isGreaterThan(55);
        assertThat(callerHeard660).as("windows of the agent's tone at the caller").isGreaterThan(55);
        assertThat(agentHeard660).as("the agent does not hear itself").isZero();
        assertThat(callerHeard440).as("the caller does not hear itself").isZero();
        assertThat(atAgent.firstLoudNanos - speakStart).as("latency of the caller's first audio").isLessThan(1_000_000_000L);

        caller.close();
        String left = atAgent.events.poll(5, TimeUnit.SECONDS);
        assertThat(left).startsWith("left caller").contains("CLIENT_INITIATED");
        agent.close();
        agent.close();
        context.logger().assertNeverLogged(tokens.toArray(String[]::new));
    }
}
