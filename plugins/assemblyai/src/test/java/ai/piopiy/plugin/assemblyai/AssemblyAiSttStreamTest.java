package ai.piopiy.plugin.assemblyai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.piopiy.plugin.assemblyai.internal.AssemblyAiSttStream;
import ai.piopiy.plugin.ttswebsocket.testing.FakeWebSocketServer;
import ai.piopiy.plugin.ttswebsocket.testing.FakeWebSocketServer.ServerSocket;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingSttListener;
import ai.piopiy.plugin.ttswebsocket.testing.TestAudio;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.testing.RecordingProviderContext;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stream against a local server speaking AssemblyAI's v3 streaming protocol, scripted per test. */
class AssemblyAiSttStreamTest {

    static final String KEY = "aai-secret-7d2e41c09f";
    private static final AudioFormat FORMAT = AudioFormat.PCM16_16K;
    /** 50 ms at 16 kHz: the frame AssemblyAI gets. */
    private static final int CHUNK = FORMAT.bytesPer(50);

    private final FakeWebSocketServer server = new FakeWebSocketServer();
    private final RecordingProviderContext context = new RecordingProviderContext("assemblyai");
    private final RecordingSttListener listener = new RecordingSttListener();
    private AssemblyAiSttService service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        server.close();
        context.close();
        assertThat(listener.overlapped()).as("listener calls overlapped").isFalse();
        for (ServiceException error : listener.errors()) {
            assertThat(error.getMessage()).doesNotContain(KEY);
        }
        context.logger().assertNeverLogged(KEY);
    }

    private AssemblyAiSttStream open(AssemblyAiSttConfig config) {
        service = new AssemblyAiSttService(config, context);
        return (AssemblyAiSttStream) service.openStream(new SttStreamSpec(FORMAT, "call-1"), listener);
    }

    private AssemblyAiSttConfig config() {
        return AssemblyAiSttConfig.of(Secret.of(KEY, "ASSEMBLYAI_API_KEY")).withUrl(server.baseUrl() + "/v3/ws")
                .withReconnect(2, Duration.ofMillis(20));
    }

    static String begin() {
        return "{\"type\":\"Begin\",\"id\":\"de5d9927-73a6-4be8-b52d-b4c07be37e6b\",\"expires_at\":1759796682}";
    }

    static String turn(int order, boolean endOfTurn, boolean formatted, String transcript, String... words) {
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            w.append(i == 0 ? "" : ",").append("{\"start\":").append(2160 + 400 * i).append(",\"end\":").append(2560 + 400 * i)
                    .append(",\"text\":\"").append(words[i]).append("\",\"confidence\":0.8,\"word_is_final\":")
                    .append(endOfTurn || i < words.length - 1).append('}');
        }
        return "{\"type\":\"Turn\",\"turn_order\":" + order + ",\"turn_is_formatted\":" + formatted + ",\"end_of_turn\":" + endOfTurn
                + ",\"transcript\":\"" + transcript + "\",\"end_of_turn_confidence\":" + (endOfTurn ? 0.91 : 0.01)
                + ",\"utterance\":\"\",\"words\":[" + w + "]}";
    }

    static final String TERMINATION = "{\"type\":\"Termination\",\"audio_duration_seconds\":12,\"session_duration_seconds\":14}";

    @Test
    void streamsAudioInFiftyMillisecondFramesAndReportsTurns() throws Exception {
        server.acceptSocket();
        AssemblyAiSttStream stream = open(config().withKeytermsPrompt(List.of("Piopiy", "TeleCMI")));

        RecordedRequest handshake = server.takeHandshake();
        assertThat(handshake.getUrl().encodedPath()).isEqualTo("/v3/ws");
        assertThat(handshake.getUrl().queryParameter("sample_rate")).isEqualTo("16000");
        assertThat(handshake.getUrl().queryParameter("encoding")).isEqualTo("pcm_s16le");
        assertThat(handshake.getUrl().queryParameter("speech_model")).isEqualTo("universal-streaming-english");
        assertThat(handshake.getUrl().queryParameter("format_turns")).isEqualTo("true");
        assertThat(handshake.getUrl().queryParameter("end_of_turn_confidence_threshold")).isEqualTo("0.4");
        assertThat(handshake.getUrl().queryParameter("min_turn_silence")).isEqualTo("400");
        assertThat(handshake.getUrl().queryParameter("max_turn_silence")).isEqualTo("1280");
        assertThat(handshake.getUrl().queryParameter("keyterms_prompt")).isEqualTo("[\"Piopiy\",\"TeleCMI\"]");
        assertThat(handshake.getHeaders().get("Authorization")).isEqualTo(KEY); // the raw key, no Bearer
        assertThat(handshake.getHeaders().get("AssemblyAI-Version")).isEqualTo("2025-05-12");

        ServerSocket socket = server.takeSocket();
        socket.send(begin());
        // five 20 ms frames make two full 50 ms frames; the last 10 ms wait for more
        byte[] audio = TestAudio.pattern(1, FORMAT.bytesPer(100));
        for (int i = 0; i < 5; i++) {
            stream.sendAudio(audio, i * FORMAT.bytesPer(20), FORMAT.bytesPer(20));
        }
        assertThat(socket.nextBinary()).isEqualTo(ByteString.of(audio, 0, CHUNK));
        assertThat(socket.nextBinary()).isEqualTo(ByteString.of(audio, CHUNK, CHUNK));

        socket.send("{\"type\":\"SpeechStarted\",\"timestamp\":1920,\"confidence\":0.93}");
        assertThat(listener.next()).isEqualTo(RecordingSttListener.SPEECH_STARTED);
        // the word still changing is only in words[]: the interim shows it
        socket.send(turn(0, false, true, "Hi, my", "Hi,", "my", "name"));
        assertThat(listener.next(Transcript.class)).satisfies(t -> {
            assertThat(t.text()).isEqualTo("Hi, my name");
            assertThat(t.isFinal()).isFalse();
        });

        stream.userStoppedSpeaking();
        assertThat(socket.nextMessage().path("type").asText()).isEqualTo("ForceEndpoint");
        socket.send(turn(0, true, true, "Hi, my name is Sonny.", "Hi,", "my", "name", "is", "Sonny."));
        assertThat(listener.next(Transcript.class)).satisfies(t -> {
            assertThat(t.text()).isEqualTo("Hi, my name is Sonny.");
            assertThat(t.isFinal()).isTrue();
            assertThat(t.confidence()).isEqualTo(0.8, offset(1e-9));
        });
        assertThat(listener.next()).isEqualTo(RecordingSttListener.UTTERANCE_END);
        assertThat(context.recordedMetrics()).singleElement()
                .isInstanceOfSatisfying(Metric.TimeToFirstByte.class, m -> assertThat(m.source()).isEqualTo("assemblyai"));

        stream.close();
        assertThat(socket.nextMessage().path("type").asText()).isEqualTo("Terminate");
        socket.send(TERMINATION);
        stream.finished().get(5, TimeUnit.SECONDS);
        assertThat(socket.awaitClientClose()).isEqualTo(1000);
        assertThat(listener.errors()).isEmpty();
    }

    @Test
    void aForcedEndpointSendsThePartialFramePaddedWithSilence() throws Exception {
        server.acceptSocket();
        AssemblyAiSttStream stream = open(config());
        ServerSocket socket = server.takeSocket();
        socket.send(begin());

        byte[] audio = TestAudio.pattern(2, FORMAT.bytesPer(30));
        stream.sendAudio(audio, 0, audio.length);
        stream.userStoppedSpeaking();

        byte[] expected = Arrays.copyOf(audio, CHUNK); // zero-padded to 50 ms: AssemblyAI refuses shorter frames
        assertThat(socket.nextBinary()).isEqualTo(ByteString.of(expected));
        assertThat(socket.nextMessage().path("type").asText()).isEqualTo("ForceEndpoint");
        stream.close();
    }

    @Test
    void anOlderServerSendsTheFinalTwiceAndOnlyTheFormattedOneIsFinal() throws Exception {
        server.acceptSocket();
        open(config());
        ServerSocket socket = server.takeSocket();
        socket.send(turn(3, true, false, "hi my name is sonny", "hi", "my", "name", "is", "sonny"));
        assertThat(listener.next(Transcript.class).isFinal()).isFalse();
        socket.send(turn(3, true, true, "Hi, my name is Sonny.", "Hi,", "my", "name", "is", "Sonny."));
        assertThat(listener.next(Transcript.class)).satisfies(t -> {
            assertThat(t.isFinal()).isTrue();
            assertThat(t.text()).isEqualTo("Hi, my name is Sonny.");
        });
        assertThat(listener.next()).isEqualTo(RecordingSttListener.UTTERANCE_END);
        socket.send(turn(3, true, true, "Hi, my name is Sonny.", "Hi,", "my", "name", "is", "Sonny."));
        listener.assertQuietFor(200);
    }

    @Test
    void unformattedTurnsAreFinalAtTheEndOfTurn() throws Exception {
        server.acceptSocket();
        open(config().withFormatTurns(false));
        assertThat(server.takeHandshake().getUrl().queryParameter("format_turns")).isEqualTo("false");
        ServerSocket socket = server.takeSocket();
        socket.send(turn(0, true, false, "hello there", "hello", "there"));
        assertThat(listener.next(Transcript.class)).satisfies(t -> {
            assertThat(t.isFinal()).isTrue();
            assertThat(t.text()).isEqualTo("hello there");
        });
    }

    @Test
    void closingMidTurnSendsTerminateAndCutsTheConnectionWhenTheServerDoesNotAnswer() throws Exception {
        server.acceptSocket();
        AssemblyAiSttConfig base = config();
        AssemblyAiSttStream stream = open(new AssemblyAiSttConfig(base.apiKey(), base.url(), base.speechModel(), true, 0.4, 400,
                1280, List.of(), true, base.apiVersion(), 50, Duration.ofMillis(300), 0, Duration.ZERO, Duration.ofSeconds(1)));
        ServerSocket socket = server.takeSocket();
        socket.send(turn(0, false, true, "half a", "half", "a"));
        assertThat(listener.next(Transcript.class).isFinal()).isFalse();

        stream.close();
        assertThat(socket.nextMessage().path("type").asText()).isEqualTo("Terminate");
        stream.finished().get(5, TimeUnit.SECONDS);
        assertThat(socket.awaitClientClose()).isEqualTo(-1); // cut after the close timeout
        assertThat(socket.trySend(turn(0, true, true, "Half a sentence.", "Half", "a", "sentence."))).isFalse();
        listener.assertQuietFor(200);
        assertThat(listener.errors()).isEmpty();
    }

    @Test
    void shuttingTheServiceDownClosesOpenSessions() throws Exception {
        server.acceptSocket();
        AssemblyAiSttStream stream = open(config());
        ServerSocket socket = server.takeSocket();
        socket.send(begin());
        service.close();
        service = null;
        stream.finished().get(5, TimeUnit.SECONDS);
        assertThat(socket.awaitClientClose()).isEqualTo(-1);
    }

    @Test
    void aRejectedKeyEndsTheStreamWithoutRetryingAndNamesTheEnvVariable() throws Exception {
        server.acceptSocket();
        open(config());
        ServerSocket socket = server.takeSocket();
        // a server that echoes the key must not get it into our messages
        socket.close(1008, "Unauthorized Connection: Invalid API key " + KEY);

        ServiceException error = listener.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("1008", "Unauthorized Connection", "ASSEMBLYAI_API_KEY", "****");
        Thread.sleep(200);
        assertThat(server.handshakeCount()).isEqualTo(1);
    }

    @Test
    void aRefusedUpgradeIsFatalAndTheBodyIsRedacted() throws Exception {
        server.refuse(401, "{\"error\":\"Invalid API key: " + KEY + "\"}");
        open(config());
        ServiceException error = listener.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("HTTP 401", "Invalid API key", "ASSEMBLYAI_API_KEY");
    }

    @Test
    void tooManySessionsIsFatal() throws Exception {
        server.acceptSocket();
        open(config());
        server.takeSocket().close(3009, "Unauthorized Connection: Too many concurrent sessions");
        ServiceException error = listener.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("concurrent sessions");
    }

    @Test
    void aServerErrorOpensANewSessionAndTheCallGoesOn() throws Exception {
        server.acceptSocket();
        server.acceptSocket();
        AssemblyAiSttStream stream = open(config());
        ServerSocket first = server.takeSocket();
        first.send("{\"type\":\"Error\",\"error_code\":3005,\"error\":\"Session Cancelled: An error occurred\"}");
        assertThat(listener.next(ServiceException.class)).satisfies(e -> {
            assertThat(e.fatal()).isFalse();
            assertThat(e.getMessage()).contains("3005", "Session Cancelled");
        });
        first.close(3005, "Session Cancelled: An error occurred");

        ServerSocket second = server.takeSocket();
        byte[] audio = TestAudio.pattern(3, CHUNK);
        stream.sendAudio(audio, 0, audio.length);
        assertThat(second.nextBinary()).isEqualTo(ByteString.of(audio));
        // the new session counts its turns from 0 again
        second.send(turn(0, true, true, "Still here.", "Still", "here."));
        assertThat(listener.next(Transcript.class).text()).isEqualTo("Still here.");
        assertThat(context.logger().contains("reconnecting in")).isTrue();
    }

    @Test
    void aDroppedConnectionIsReopenedUntilTheAttemptsRunOut() throws Exception {
        server.acceptSocket();
        server.acceptSocket();
        server.acceptSocket();
        open(config());
        server.takeSocket().drop();
        server.takeSocket().drop();
        server.takeSocket().drop();

        ServiceException error = listener.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("could not reconnect after 2 attempts");
        assertThat(server.handshakeCount()).isEqualTo(3);
    }

    @Test
    void malformedMessagesAreReportedAndTheStreamGoesOn() throws Exception {
        server.acceptSocket();
        open(config());
        ServerSocket socket = server.takeSocket();
        socket.send("{\"type\":\"Turn\",\"transcript\":");
        assertThat(listener.next(ServiceException.class)).satisfies(e -> {
            assertThat(e.fatal()).isFalse();
            assertThat(e.getMessage()).contains("AssemblyAI sent a malformed message");
        });
        socket.send("{\"transcript\":\"no type\"}");
        assertThat(listener.next(ServiceException.class).getMessage()).contains("has no type");
        socket.send("{\"type\":\"Heartbeat\"}"); // newer types are ignored
        socket.send(turn(0, true, true, "Fine.", "Fine."));
        assertThat(listener.next(Transcript.class).text()).isEqualTo("Fine.");
    }
}
