package ai.piopiy.plugin.cartesia;

import static ai.piopiy.plugin.ttswebsocket.testing.FakeWebSocketServer.json;
import static ai.piopiy.plugin.ttswebsocket.testing.TestAudio.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.ttswebsocket.testing.FakeWebSocketServer;
import ai.piopiy.plugin.ttswebsocket.testing.FakeWebSocketServer.ServerSocket;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Audio;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Done;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Failed;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Words;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.spi.tts.WordTimestamp;
import ai.piopiy.testing.RecordingProviderContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Cartesia client against a local server speaking Cartesia's TTS WebSocket protocol. */
class CartesiaTtsServiceTest {

    private static final String KEY = "sk_car_test-key-0123456789";

    private final FakeWebSocketServer server = new FakeWebSocketServer();
    private final RecordingProviderContext context = new RecordingProviderContext("cartesia");
    private final RecordingTtsListener listener = new RecordingTtsListener();
    private CartesiaTtsService service;
    private TtsSession session;

    @BeforeEach
    void setUp() {
        service = new CartesiaTtsService(CartesiaTtsConfig.of(Secret.of(KEY)).withBaseUrl(server.baseUrl()), context);
    }

    @AfterEach
    void tearDown() {
        if (session != null) {
            session.close();
        }
        service.close();
        server.close();
        context.close();
        context.logger().assertNeverLogged(KEY);
    }

    @Test
    void speaksAnUtteranceFedInPiecesAsOneContext() throws Exception {
        server.acceptSocket();
        session = service.openSession(AudioFormat.PCM16_16K, "call-1");
        RecordedRequest handshake = server.takeHandshake();
        assertThat(handshake.getUrl().encodedPath()).isEqualTo("/tts/websocket");
        assertThat(handshake.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(handshake.getHeaders().get("Cartesia-Version")).isEqualTo("2026-03-01");
        ServerSocket socket = server.takeSocket();

        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hello there.");
        utterance.sendText(" How are you? ");
        utterance.sendText("Bye.");
        utterance.finish();

        JsonNode first = socket.nextMessage();
        String contextId = first.get("context_id").asText();
        assertThat(first).isEqualTo(json().readTree("""
                {"model_id":"sonic-3","transcript":"Hello there. ",
                 "voice":{"mode":"id","id":"a0e99841-438c-4a64-b679-ae501e7d6091"},
                 "language":"en","context_id":"%s",
                 "output_format":{"container":"raw","encoding":"pcm_s16le","sample_rate":16000},
                 "add_timestamps":true,"continue":true,"max_buffer_delay_ms":0}
                """.formatted(contextId)));
        JsonNode second = socket.nextMessage();
        assertThat(second.get("transcript").asText()).isEqualTo(" How are you? ");
        assertThat(second.get("continue").asBoolean()).isTrue();
        assertThat(second.get("context_id").asText()).isEqualTo(contextId);
        JsonNode third = socket.nextMessage();
        assertThat(third.get("transcript").asText()).isEqualTo("Bye. ");
        JsonNode last = socket.nextMessage();
        assertThat(last.get("transcript").asText()).isEmpty();
        assertThat(last.get("continue").asBoolean()).isFalse();
        assertThat(last.get("context_id").asText()).isEqualTo(contextId);
        JsonNode lastRest = ((ObjectNode) last.deepCopy()).without(List.of("transcript", "continue"));
        JsonNode firstRest = ((ObjectNode) first.deepCopy()).without(List.of("transcript", "continue"));
        assertThat(lastRest).as("every field but transcript and continue stays the same").isEqualTo(firstRest);

        byte[] a = pattern(0, 320);
        byte[] b = pattern(7, 480);
        socket.send(chunk(contextId, a));
        socket.send(timestamps(contextId, List.of("Hello", "there."), List.of(0.0, 0.42), List.of(0.4, 0.9)));
        socket.send(chunk(contextId, b));
        socket.send(json().readTree("""
                {"type":"flush_done","context_id":"%s","status_code":206,"done":false,"flush_done":true,"flush_id":1}
                """.formatted(contextId)));
        socket.send(done(contextId));

        assertThat(listener.next(Audio.class).pcm()).isEqualTo(a);
        assertThat(listener.next(Words.class).words()).containsExactly(
                new WordTimestamp("Hello", 0.0, 0.4), new WordTimestamp("there.", 0.42, 0.9));
        assertThat(listener.next(Audio.class).pcm()).isEqualTo(b);
        listener.next(Done.class);
        listener.assertQuiet(200);
        assertThat(context.recordedMetrics()).filteredOn(Metric.TimeToFirstByte.class::isInstance).hasSize(1)
                .allSatisfy(m -> assertThat(((Metric.TimeToFirstByte) m).nanos()).isPositive());
        assertThat(context.recordedMetrics()).filteredOn(Metric.TtsCharacters.class::isInstance)
                .containsExactly(new Metric.TtsCharacters("cartesia", "Hello there.".length() + " How are you? ".length() + "Bye.".length()));
    }

    @Test
    void cancelSendsTheCancelMessageAndDropsLateAudio() throws Exception {
        ServerSocket socket = open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("A long answer the caller will interrupt.");
        String contextId = socket.nextMessage().get("context_id").asText();
        socket.send(chunk(contextId, pattern(1, 64)));
        listener.next(Audio.class);

        utterance.cancel();
        utterance.cancel();
        assertThat(socket.nextMessage()).isEqualTo(json().readTree("""
                {"context_id":"%s","cancel":true}""".formatted(contextId)));
        socket.assertNoMessage(100);
        // a generation already running streams to its end: the client must drop it
        socket.send(chunk(contextId, pattern(2, 64)));
        socket.send(timestamps(contextId, List.of("late"), List.of(0.0), List.of(0.1)));
        socket.send(done(contextId));
        listener.assertQuiet(300);
        utterance.sendText("ignored after cancel");
        utterance.finish();
        socket.assertNoMessage(100);

        // the next answer uses a new context on the same socket
        RecordingTtsListener next = new RecordingTtsListener();
        TtsUtterance second = session.startUtterance(next);
        second.sendText("Sure.");
        second.finish();
        String secondContext = socket.nextMessage().get("context_id").asText();
        assertThat(secondContext).isNotEqualTo(contextId);
        assertThat(socket.nextMessage().get("continue").asBoolean()).isFalse();
        socket.send(chunk(secondContext, pattern(3, 64)));
        socket.send(done(secondContext));
        next.next(Audio.class);
        next.next(Done.class);
        assertThat(server.handshakeCount()).isEqualTo(1);
    }

    @Test
    void nothingIsDeliveredOnceCancelReturnsEvenWhileAudioPoursIn() throws Exception {
        ServerSocket socket = open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Talk for a long time.");
        String contextId = socket.nextMessage().get("context_id").asText();
        String frame = chunk(contextId, pattern(1, 320)).toString();
        Thread flood = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 5_000 && socket.trySend(frame); i++) {
                Thread.onSpinWait();
            }
        });
        listener.next(Audio.class);
        utterance.cancel();
        int delivered = listener.received();
        flood.join();
        Thread.sleep(100);
        assertThat(listener.received()).as("callbacks after cancel() returned").isEqualTo(delivered);
    }

    @Test
    void anErrorFrameFailsItsUtteranceWithTheServersText() throws Exception {
        ServerSocket socket = open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hi.");
        String contextId = socket.nextMessage().get("context_id").asText();
        socket.send(json().readTree("""
                {"type":"error","done":true,"status_code":400,"error_code":"model_not_found","title":"Invalid model",
                 "message":"The model is not valid, make sure it is a valid model ID.","request_id":"r-1","context_id":"%s"}
                """.formatted(contextId)));
        Failed failed = listener.next(Failed.class);
        assertThat(failed.error().getMessage()).isEqualTo("cartesia: Cartesia error: Invalid model: "
                + "The model is not valid, make sure it is a valid model ID. (model_not_found, status 400)");
        assertThat(failed.error().fatal()).isFalse();
        socket.send(done(contextId));
        listener.assertQuiet(200);
    }

    @Test
    void aDroppedConnectionFailsTheUtteranceAndTheNextOneReconnects() throws Exception {
        server.acceptSocket();
        ServerSocket socket = open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hello.");
        String contextId = socket.nextMessage().get("context_id").asText();
        socket.send(chunk(contextId, pattern(1, 64)));
        listener.next(Audio.class);
        socket.drop();
        Failed failed = listener.next(Failed.class);
        assertThat(failed.error().fatal()).isFalse();
        assertThat(failed.error().getMessage()).startsWith("cartesia: lost the connection to Cartesia");
        listener.assertQuiet(100);

        RecordingTtsListener next = new RecordingTtsListener();
        TtsUtterance second = session.startUtterance(next);
        second.sendText("Again.");
        second.finish();
        ServerSocket fresh = server.takeSocket();
        String secondContext = fresh.nextMessage().get("context_id").asText();
        fresh.nextMessage();
        fresh.send(chunk(secondContext, pattern(2, 64)));
        fresh.send(done(secondContext));
        assertThat(next.next(Audio.class).pcm()).isEqualTo(pattern(2, 64));
        next.next(Done.class);
        assertThat(server.handshakeCount()).isEqualTo(2);
    }

    @Test
    void aServerCloseBetweenUtterancesIsRepairedSilently() throws Exception {
        server.acceptSocket();
        ServerSocket socket = open(AudioFormat.PCM16_16K);
        // Cartesia closes idle sockets after 5 minutes
        socket.close(1000, "idle");
        assertThat(socket.awaitClientClose()).isEqualTo(1000);

        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Still here.");
        utterance.finish();
        ServerSocket fresh = server.takeSocket();
        String contextId = fresh.nextMessage().get("context_id").asText();
        fresh.send(done(contextId));
        listener.next(Done.class);
    }

    @Test
    void malformedJsonIsAClearErrorAndTheSocketStaysUsable() throws Exception {
        ServerSocket socket = open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hi.");
        socket.nextMessage();
        socket.send("{\"type\":\"chunk\",\"data\":");
        Failed failed = listener.next(Failed.class);
        assertThat(failed.error().getMessage()).startsWith("cartesia: Cartesia sent a malformed message (");

        RecordingTtsListener next = new RecordingTtsListener();
        TtsUtterance second = session.startUtterance(next);
        second.sendText("Hi again.");
        String contextId = socket.nextMessage().get("context_id").asText();
        socket.send(chunk(contextId, pattern(4, 32)));
        next.next(Audio.class);
        assertThat(server.handshakeCount()).isEqualTo(1);
    }

    @Test
    void aRejectedKeyIsAFatalErrorThatDoesNotShowTheKey() throws Exception {
        String body = "{\"error_code\":\"invalid_api_key\",\"title\":\"Unauthorized\",\"message\":\"Invalid API key\"}";
        // the session's eager connection and the utterance's reconnection, whichever the utterance lands on
        server.refuse(401, body);
        server.refuse(401, body);
        session = service.openSession(AudioFormat.PCM16_16K, "call-1");
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hi.");
        Failed failed = listener.next(Failed.class);
        assertThat(failed.error().fatal()).isTrue();
        assertThat(failed.error().getMessage()).startsWith("cartesia: Cartesia rejected the API key (HTTP 401")
                .contains("Invalid API key")
                .doesNotContain(KEY);
        for (Throwable t = failed.error(); t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
        }
    }

    @Test
    void anUnsupportedRateIsSynthesizedAtTheNextOneAndResampled() throws Exception {
        ServerSocket socket = open(AudioFormat.pcm16(12_000));
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hi.");
        JsonNode first = socket.nextMessage();
        assertThat(first.at("/output_format/sample_rate").asInt()).isEqualTo(16_000);
        String contextId = first.get("context_id").asText();
        byte[] a = pattern(5, 640);
        byte[] b = pattern(9, 640);
        socket.send(chunk(contextId, a));
        socket.send(chunk(contextId, b));
        Resampler expected = new Resampler(16_000, 12_000);
        assertThat(listener.next(Audio.class).pcm()).isEqualTo(expected.process(a));
        assertThat(listener.next(Audio.class).pcm()).isEqualTo(expected.process(b));
    }

    @Test
    void aContextThatExpiresBeforeFinishGoesOnInANewContext() throws Exception {
        ServerSocket socket = open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("First.");
        String firstContext = socket.nextMessage().get("context_id").asText();
        socket.send(chunk(firstContext, pattern(1, 16_000))); // half a second at 16 kHz
        socket.send(done(firstContext)); // the LLM was slow: Cartesia ended the context
        listener.next(Audio.class);
        context.logger().awaitLine("Cartesia ended context " + firstContext + " before the answer was finished");
        listener.assertQuiet(50);

        utterance.sendText("Second.");
        utterance.finish();
        String secondContext = socket.nextMessage().get("context_id").asText();
        assertThat(secondContext).isNotEqualTo(firstContext);
        assertThat(socket.nextMessage().get("context_id").asText()).isEqualTo(secondContext);
        socket.send(timestamps(secondContext, List.of("Second."), List.of(0.0), List.of(0.3)));
        socket.send(done(secondContext));
        assertThat(listener.next(Words.class).words()).containsExactly(new WordTimestamp("Second.", 0.5, 0.8));
        listener.next(Done.class);
    }

    @Test
    void anUtteranceWithoutTextIsDoneWithoutTalkingToCartesia() throws Exception {
        ServerSocket socket = open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("");
        utterance.finish();
        listener.next(Done.class);
        socket.assertNoMessage(100);
    }

    @Test
    void closingTheSessionClosesTheSocketAndSilencesItsUtterances() throws Exception {
        ServerSocket socket = open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Goodbye.");
        socket.nextMessage();
        session.close();
        session.close();
        assertThat(socket.awaitClientClose()).isEqualTo(1000);
        listener.assertQuiet(200);
    }


    /** Opens the call's session, whose socket the server accepts. */
    private ServerSocket open(AudioFormat format) throws InterruptedException {
        server.acceptSocket();
        session = service.openSession(format, "call-1");
        return server.takeSocket();
    }

    static JsonNode chunk(String contextId, byte[] pcm) {
        return json().createObjectNode().put("type", "chunk").put("context_id", contextId).put("status_code", 206)
                .put("done", false).put("data", Base64.getEncoder().encodeToString(pcm)).put("step_time", 12.5).put("flush_id", 1);
    }

    static JsonNode timestamps(String contextId, List<String> words, List<Double> start, List<Double> end) {
        ObjectNode frame = json().createObjectNode().put("type", "timestamps").put("context_id", contextId)
                .put("status_code", 206).put("done", false);
        ObjectNode wt = frame.putObject("word_timestamps");
        words.forEach(wt.putArray("words")::add);
        start.forEach(wt.putArray("start")::add);
        end.forEach(wt.putArray("end")::add);
        return frame;
    }

    static JsonNode done(String contextId) {
        return json().createObjectNode().put("type", "done").put("context_id", contextId).put("status_code", 206).put("done", true);
    }
}
