package ai.piopiy.plugin.deepgram;

import static ai.piopiy.plugin.ttswebsocket.testing.TestAudio.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.ttswebsocket.WireAudio;
import ai.piopiy.plugin.ttswebsocket.testing.FakeWebSocketServer;
import ai.piopiy.plugin.ttswebsocket.testing.FakeWebSocketServer.ServerSocket;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Audio;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Done;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Failed;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.testing.RecordingProviderContext;
import com.fasterxml.jackson.databind.JsonNode;
import mockwebserver3.RecordedRequest;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Aura client against a local server speaking Deepgram's speak WebSocket protocol, scripted per test. */
class DeepgramTtsServiceTest {

    static final String KEY = "dg-tts-secret-81b3e5a0c4";
    static final String METADATA = "{\"type\":\"Metadata\",\"request_id\":\"4c3d1a6e-0b2f-4c6a-9a5e-6f0d2b7c1e9a\","
            + "\"model_name\":\"aura-2-helena-en\",\"model_version\":\"2025-04-07.0\",\"model_uuid\":\"d1f7b5c8-3e2a-4b9d-8c6f-0a1e2d3c4b5a\"}";
    static final String FLUSHED = "{\"type\":\"Flushed\",\"sequence_id\":0}";
    static final String CLEARED = "{\"type\":\"Cleared\",\"sequence_id\":1}";

    private final FakeWebSocketServer server = new FakeWebSocketServer();
    private final RecordingProviderContext context = new RecordingProviderContext("deepgram-tts");
    private final RecordingTtsListener listener = new RecordingTtsListener();
    private DeepgramTtsService service;
    private TtsSession session;

    @AfterEach
    void tearDown() {
        if (session != null) {
            session.close();
        }
        if (service != null) {
            service.close();
        }
        server.close();
        context.close();
        context.logger().assertNeverLogged(KEY);
    }

    private DeepgramTtsConfig config() {
        return DeepgramTtsConfig.of(Secret.of(KEY, "DEEPGRAM_API_KEY")).withBaseUrl(server.baseUrl());
    }

    private ServerSocket open(DeepgramTtsConfig config, AudioFormat format) throws InterruptedException {
        service = new DeepgramTtsService(config, context);
        session = service.openSession(format, "call-1");
        return server.takeSocket();
    }

    private static void assertMessage(ServerSocket socket, String type) throws InterruptedException {
        assertThat(socket.nextMessage().path("type").asText()).isEqualTo(type);
    }

    @Test
    void speaksEachSentenceAsSoonAsItIsFlushedAndEndsWhenEveryFlushCameBack() throws Exception {
        server.acceptSocket();
        ServerSocket socket = open(config(), AudioFormat.PCM16_16K);
        RecordedRequest handshake = server.takeHandshake();
        assertThat(handshake.getUrl().encodedPath()).isEqualTo("/v1/speak");
        assertThat(handshake.getUrl().queryParameter("model")).isEqualTo("aura-2-helena-en");
        assertThat(handshake.getUrl().queryParameter("encoding")).isEqualTo("linear16");
        assertThat(handshake.getUrl().queryParameter("sample_rate")).isEqualTo("16000");
        assertThat(handshake.getUrl().queryParameter("mip_opt_out")).isNull();
        assertThat(handshake.getHeaders().get("Authorization")).isEqualTo("Token " + KEY);
        socket.send(METADATA);

        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hello there.");
        JsonNode speak = socket.nextMessage();
        assertThat(speak.path("type").asText()).isEqualTo("Speak");
        assertThat(speak.path("text").asText()).isEqualTo("Hello there. ");
        assertMessage(socket, "Flush");
        byte[] first = pattern(1, 640);
        socket.send(ByteString.of(first));
        assertThat(listener.next(Audio.class).pcm()).isEqualTo(first);

        utterance.sendText("How are you?");
        assertMessage(socket, "Speak");
        assertMessage(socket, "Flush");
        utterance.finish();
        socket.send(FLUSHED); // the first sentence is spoken: the answer is not
        byte[] second = pattern(2, 320);
        socket.send(ByteString.of(second));
        assertThat(listener.next(Audio.class).pcm()).isEqualTo(second);
        socket.send(FLUSHED);
        listener.next(Done.class);
        socket.assertNoMessage(100); // both sentences were flushed already: the end needs no flush

        assertThat(context.recordedMetrics()).hasAtLeastOneElementOfType(Metric.TimeToFirstByte.class)
                .contains(new Metric.TtsCharacters("deepgram-tts", "Hello there.How are you?".length()));
    }

    @Test
    void withoutSentenceFlushesOnlyTheEndIsFlushed() throws Exception {
        server.acceptSocket();
        ServerSocket socket = open(config().withFlushEachSentence(false), AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("One.");
        utterance.sendText("Two.");
        assertMessage(socket, "Speak");
        assertMessage(socket, "Speak");
        socket.assertNoMessage(100);
        utterance.finish();
        assertMessage(socket, "Flush");
        socket.send(ByteString.of(pattern(3, 200)));
        listener.next(Audio.class);
        socket.send(FLUSHED);
        listener.next(Done.class);
    }

    @Test
    void anInterruptionClearsAndDropsTheClearedAnswersLateAudio() throws Exception {
        server.acceptSocket();
        ServerSocket socket = open(config(), AudioFormat.PCM16_16K);
        TtsUtterance interrupted = session.startUtterance(listener);
        interrupted.sendText("A long answer the caller will cut short.");
        assertMessage(socket, "Speak");
        assertMessage(socket, "Flush");
        socket.send(ByteString.of(pattern(4, 640)));
        listener.next(Audio.class);

        interrupted.cancel();
        assertMessage(socket, "Clear");
        // in flight before Deepgram saw the Clear: none of it may reach anyone
        socket.send(ByteString.of(pattern(5, 640)));
        socket.send(FLUSHED);

        RecordingTtsListener next = new RecordingTtsListener();
        TtsUtterance answer = session.startUtterance(next);
        answer.sendText("Yes?");
        assertMessage(socket, "Speak");
        assertMessage(socket, "Flush");
        socket.send(CLEARED);
        byte[] fresh = pattern(6, 320);
        socket.send(ByteString.of(fresh));
        assertThat(next.next(Audio.class).pcm()).isEqualTo(fresh);
        answer.finish();
        socket.send(FLUSHED);
        next.next(Done.class);

        listener.assertQuiet(100);
        assertThat(server.handshakeCount()).isEqualTo(1); // the same socket went on
    }

    @Test
    void mulawAtEightKilohertzIsExpandedToPcm() throws Exception {
        server.acceptSocket();
        ServerSocket socket = open(config().withEncoding("mulaw", 0), AudioFormat.PCM16_8K);
        RecordedRequest handshake = server.takeHandshake();
        assertThat(handshake.getUrl().queryParameter("encoding")).isEqualTo("mulaw");
        assertThat(handshake.getUrl().queryParameter("sample_rate")).isEqualTo("8000");

        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hi.");
        byte[] ulaw = pattern(7, 160);
        socket.send(ByteString.of(ulaw));
        assertThat(listener.next(Audio.class).pcm()).isEqualTo(WireAudio.ulawToPcm16(ulaw));
    }

    @Test
    void aRateDeepgramDoesNotOfferIsAskedAtTheNextHigherAndResampled() throws Exception {
        server.acceptSocket();
        ServerSocket socket = open(config(), AudioFormat.pcm16(22_050));
        assertThat(server.takeHandshake().getUrl().queryParameter("sample_rate")).isEqualTo("24000");
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hi.");
        socket.send(ByteString.of(new byte[4_800])); // 100 ms at 24 kHz
        int delivered = 0;
        while (delivered < 4_410 - 64) { // about 100 ms at 22.05 kHz; the resampler may hold a few samples back
            delivered += listener.next(Audio.class).pcm().length;
        }
        assertThat(delivered).isLessThanOrEqualTo(4_410);
    }

    @Test
    void aCloseInTheMiddleOfAnAnswerFailsItAndTheNextAnswerReconnects() throws Exception {
        server.acceptSocket();
        server.acceptSocket();
        ServerSocket socket = open(config(), AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hello.");
        assertMessage(socket, "Speak");
        socket.close(1011, "internal error for key " + KEY);
        Failed failed = listener.next(Failed.class);
        assertThat(failed.error().fatal()).isFalse();
        assertThat(failed.error().getMessage()).contains("code 1011", "****").doesNotContain(KEY);

        RecordingTtsListener next = new RecordingTtsListener();
        session.startUtterance(next).sendText("Again.");
        ServerSocket second = server.takeSocket();
        assertMessage(second, "Speak");
        assertThat(server.handshakeCount()).isEqualTo(2);
    }

    @Test
    void aRejectedKeyIsFatalNamesTheVariableAndHidesTheKey() throws Exception {
        server.refuse(401, "{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials for " + KEY + "\"}");
        service = new DeepgramTtsService(config(), context);
        session = service.openSession(AudioFormat.PCM16_16K, "call-1");
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hello.");
        Failed failed = listener.next(Failed.class);
        assertThat(failed.error().fatal()).isTrue();
        assertThat(failed.error().getMessage()).contains("HTTP 401", "INVALID_AUTH", "DEEPGRAM_API_KEY").doesNotContain(KEY);
    }

    @Test
    void aDroppedConnectionFailsTheAnswer() throws Exception {
        server.acceptSocket();
        ServerSocket socket = open(config(), AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hello.");
        assertMessage(socket, "Speak");
        socket.drop();
        assertThat(listener.next(Failed.class).error().getMessage()).contains("lost the connection to Deepgram");
        listener.assertQuiet(100);
    }

    @Test
    void aMalformedMessageFailsTheAnswer() throws Exception {
        server.acceptSocket();
        ServerSocket socket = open(config(), AudioFormat.PCM16_16K);
        session.startUtterance(listener).sendText("Hello.");
        socket.send("{\"type\":\"Flushed\",");
        assertThat(listener.next(Failed.class).error().getMessage()).contains("Deepgram sent a malformed message");
    }

    @Test
    void aRefusedFinalFlushFailsTheAnswerInsteadOfHanging() throws Exception {
        server.acceptSocket();
        ServerSocket socket = open(config().withFlushEachSentence(false), AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hello.");
        utterance.finish();
        assertMessage(socket, "Speak");
        assertMessage(socket, "Flush");
        socket.send("{\"type\":\"Warning\",\"description\":\"Flush limit exceeded; no more flushes for 60 seconds\",\"code\":\"FLUSH_LIMIT\"}");
        assertThat(listener.next(Failed.class).error().getMessage()).contains("refused to flush", "FLUSH_LIMIT");
    }

    @Test
    void anAnswerWithoutTextIsDoneAtOnceAndClosingTheSessionClosesTheSocket() throws Exception {
        server.acceptSocket();
        ServerSocket socket = open(config(), AudioFormat.PCM16_16K);
        session.startUtterance(listener).finish();
        listener.next(Done.class);
        session.close();
        session = null;
        assertThat(socket.awaitClientClose()).isEqualTo(1000);
        socket.assertNoMessage(50);
    }
}
