package ai.piopiy.plugin.elevenlabs;

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
import ai.piopiy.spi.audio.Pcm16;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.spi.tts.WordTimestamp;
import ai.piopiy.testing.RecordingProviderContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ElevenLabs client against a local server speaking the stream-input WebSocket protocol. */
class ElevenLabsTtsServiceTest {

    private static final String KEY = "xi-test-key-0123456789abcdef";

    private final FakeWebSocketServer server = new FakeWebSocketServer();
    private final RecordingProviderContext context = new RecordingProviderContext("elevenlabs");
    private final ElevenLabsTtsService service = new ElevenLabsTtsService(
            ElevenLabsTtsConfig.of(Secret.of(KEY)).withBaseUrl(server.baseUrl()).withVoiceSettings(0.5, 0.75), context);
    private final RecordingTtsListener listener = new RecordingTtsListener();
    private TtsSession session;

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
    void speaksAnUtteranceFedInPiecesOnItsOwnSocket() throws Exception {
        open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        RecordedRequest handshake = server.takeHandshake();
        assertThat(handshake.getUrl().encodedPath()).isEqualTo("/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream-input");
        assertThat(handshake.getUrl().queryParameterNames()).containsExactly("model_id", "output_format", "sync_alignment");
        assertThat(handshake.getUrl().queryParameter("sync_alignment")).isEqualTo("true");
        assertThat(handshake.getUrl().queryParameter("model_id")).isEqualTo("eleven_flash_v2_5");
        assertThat(handshake.getUrl().queryParameter("output_format")).isEqualTo("pcm_16000");
        assertThat(handshake.getHeaders().get("xi-api-key")).isEqualTo(KEY);
        ServerSocket socket = server.takeSocket();

        utterance.sendText("Hello there.");
        utterance.sendText(" How are you? ");
        utterance.sendText("Bye.");
        utterance.finish();
        assertThat(socket.nextMessage()).isEqualTo(json().readTree("""
                {"text":" ","voice_settings":{"stability":0.5,"similarity_boost":0.75}}"""));
        assertThat(socket.nextMessage()).isEqualTo(json().readTree("""
                {"text":"Hello there. ","flush":true}"""));
        assertThat(socket.nextMessage()).isEqualTo(json().readTree("""
                {"text":" How are you? ","try_trigger_generation":true}"""));
        assertThat(socket.nextMessage()).isEqualTo(json().readTree("""
                {"text":"Bye. ","try_trigger_generation":true}"""));
        assertThat(socket.nextMessage()).isEqualTo(json().readTree("""
                {"text":""}"""));

        byte[] a = pattern(1, 8_000); // 250 ms at 16 kHz
        byte[] b = pattern(2, 6_400);
        socket.send(audio(a, "Hello there. "));
        socket.send(audio(b, "How are you? Bye."));
        socket.send("{\"isFinal\":true}");
        socket.close(1000, "");

        assertThat(listener.next(Audio.class).pcm()).isEqualTo(a);
        assertThat(listener.next(Words.class).words()).containsExactly(
                new WordTimestamp("Hello", 0.0, 0.25), new WordTimestamp("there.", 0.3, 0.6));
        assertThat(listener.next(Audio.class).pcm()).isEqualTo(b);
        // the second chunk starts where the first one's 250 ms of audio end
        assertThat(listener.next(Words.class).words()).containsExactly(
                new WordTimestamp("How", 0.25, 0.4), new WordTimestamp("are", 0.45, 0.6), new WordTimestamp("you?", 0.65, 0.85));
        // the last word has no whitespace after it: it is complete at the end
        assertThat(listener.next(Words.class).words()).containsExactly(new WordTimestamp("Bye.", 0.9, 1.1));
        listener.next(Done.class);
        listener.assertQuiet(200);
        assertThat(context.recordedMetrics()).filteredOn(Metric.TimeToFirstByte.class::isInstance).hasSize(1);
        assertThat(context.recordedMetrics()).filteredOn(Metric.TtsCharacters.class::isInstance)
                .containsExactly(new Metric.TtsCharacters("elevenlabs", "Hello there.".length() + " How are you? ".length() + "Bye.".length()));
    }

    @Test
    void telephonyGetsUlawDecodedToPcm16() throws Exception {
        open(AudioFormat.PCM16_8K);
        TtsUtterance utterance = session.startUtterance(listener);
        assertThat(server.takeHandshake().getUrl().queryParameter("output_format")).isEqualTo("ulaw_8000");
        ServerSocket socket = server.takeSocket();
        utterance.sendText("Hi.");
        utterance.finish();
        byte[] ulaw = new byte[256];
        for (int i = 0; i < ulaw.length; i++) {
            ulaw[i] = (byte) i;
        }
        socket.send(audio(ulaw, null));
        socket.send("{\"isFinal\":true}");

        byte[] pcm = listener.next(Audio.class).pcm();
        assertThat(pcm).hasSize(512);
        for (int i = 0; i < ulaw.length; i++) {
            assertThat(Pcm16.sample(pcm, i)).as("sample %d", i).isEqualTo(Pcm16.ulawToLinear(ulaw[i]));
        }
        listener.next(Done.class);
    }

    @Test
    void anUnofferedRateIsSynthesizedAtTheNextOneAndResampled() throws Exception {
        open(AudioFormat.PCM16_48K);
        TtsUtterance utterance = session.startUtterance(listener);
        assertThat(server.takeHandshake().getUrl().queryParameter("output_format")).isEqualTo("pcm_44100");
        ServerSocket socket = server.takeSocket();
        utterance.sendText("Hi.");
        byte[] a = pattern(3, 882);
        byte[] b = pattern(4, 882);
        socket.send(audio(a, null));
        socket.send(audio(b, null));
        Resampler expected = new Resampler(44_100, 48_000);
        assertThat(listener.next(Audio.class).pcm()).isEqualTo(expected.process(a));
        assertThat(listener.next(Audio.class).pcm()).isEqualTo(expected.process(b));
    }

    @Test
    void cancelClosesTheSocketAndDropsLateAudio() throws Exception {
        server.acceptSocket();
        open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        ServerSocket socket = server.takeSocket();
        utterance.sendText("A long answer the caller will interrupt.");
        socket.nextMessage();
        socket.nextMessage();
        socket.send(audio(pattern(1, 64), null));
        listener.next(Audio.class);

        utterance.cancel();
        utterance.cancel();
        assertThat(socket.awaitClientClose()).isEqualTo(1000);
        utterance.sendText("ignored");
        utterance.finish();
        socket.assertNoMessage(100);
        listener.assertQuiet(200);

        RecordingTtsListener next = new RecordingTtsListener();
        TtsUtterance second = session.startUtterance(next);
        ServerSocket fresh = server.takeSocket();
        second.sendText("Sure.");
        second.finish();
        fresh.send(audio(pattern(2, 64), "Sure."));
        fresh.send("{\"isFinal\":true}");
        assertThat(next.next(Audio.class).pcm()).isEqualTo(pattern(2, 64));
        next.next(Words.class);
        next.next(Done.class);
    }

    @Test
    void nothingIsDeliveredOnceCancelReturnsEvenWhileAudioPoursIn() throws Exception {
        open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        ServerSocket socket = server.takeSocket();
        utterance.sendText("Talk for a long time.");
        String frame = audio(pattern(1, 320), "talk ").toString();
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
        assertThat(socket.awaitClientClose()).isEqualTo(1000);
    }

    @Test
    void anErrorFrameFailsTheUtteranceOnceWithTheServersText() throws Exception {
        open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        ServerSocket socket = server.takeSocket();
        utterance.sendText("Hi.");
        socket.send("""
                {"message":"Have not received a new text input within the timeout of 20 seconds. Streaming input terminated.",\
                "error":"input_timeout_exceeded","code":1008}""");
        socket.close(1008, "Have not received a new text input within the timeout of 20 seconds.");
        Failed failed = listener.next(Failed.class);
        assertThat(failed.error().getMessage()).isEqualTo("elevenlabs: ElevenLabs error: Have not received a new text input "
                + "within the timeout of 20 seconds. Streaming input terminated. (input_timeout_exceeded)");
        assertThat(failed.error().fatal()).isFalse();
        listener.assertQuiet(200);
    }

    @Test
    void anInBandKeyRejectionIsFatal() throws Exception {
        open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        ServerSocket socket = server.takeSocket();
        utterance.sendText("Hi.");
        socket.send("{\"message\":\"Invalid API key\",\"error\":\"invalid_api_key\",\"code\":1008}");
        socket.close(1008, "Invalid API key");
        Failed failed = listener.next(Failed.class);
        assertThat(failed.error().fatal()).isTrue();
        assertThat(failed.error().getMessage()).isEqualTo("elevenlabs: ElevenLabs error: Invalid API key (invalid_api_key)");
    }

    @Test
    void aRefusedUpgradeIsAnErrorWithoutTheKey() throws Exception {
        server.refuse(401, "{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}");
        session = service.openSession(AudioFormat.PCM16_16K, "call-1");
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText("Hi.");
        Failed failed = listener.next(Failed.class);
        assertThat(failed.error().fatal()).isTrue();
        assertThat(failed.error().getMessage()).startsWith("elevenlabs: ElevenLabs rejected the API key (HTTP 401")
                .contains("invalid_api_key").doesNotContain(KEY);
        for (Throwable t = failed.error(); t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
        }
    }

    @Test
    void aDroppedConnectionFailsTheUtteranceAndTheNextOneConnectsAfresh() throws Exception {
        server.acceptSocket();
        open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        ServerSocket socket = server.takeSocket();
        utterance.sendText("Hello.");
        socket.send(audio(pattern(1, 64), null));
        listener.next(Audio.class);
        socket.drop();
        Failed failed = listener.next(Failed.class);
        assertThat(failed.error().fatal()).isFalse();
        assertThat(failed.error().getMessage()).startsWith("elevenlabs: lost the connection to ElevenLabs");
        listener.assertQuiet(100);

        RecordingTtsListener next = new RecordingTtsListener();
        TtsUtterance second = session.startUtterance(next);
        ServerSocket fresh = server.takeSocket();
        second.sendText("Again.");
        second.finish();
        fresh.send(audio(pattern(2, 64), null));
        fresh.send("{\"isFinal\":true}");
        assertThat(next.next(Audio.class).pcm()).isEqualTo(pattern(2, 64));
        next.next(Done.class);
    }

    @Test
    void aCloseBeforeTheEndIsAnErrorWithTheReason() throws Exception {
        open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        ServerSocket socket = server.takeSocket();
        utterance.sendText("Hi.");
        socket.close(1008, "We are sorry, something went wrong.");
        Failed failed = listener.next(Failed.class);
        assertThat(failed.error().getMessage())
                .isEqualTo("elevenlabs: ElevenLabs closed the stream before the answer was spoken (code 1008, We are sorry, something went wrong.)");
    }

    @Test
    void aNormalCloseAfterTheEndOfInputIsDoneEvenWithoutIsFinal() throws Exception {
        open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        ServerSocket socket = server.takeSocket();
        utterance.sendText("Hi.");
        utterance.finish();
        socket.send(audio(pattern(1, 64), null));
        socket.close(1000, "");
        listener.next(Audio.class);
        listener.next(Done.class);
    }

    @Test
    void malformedJsonIsAClearErrorAndClosesTheSocket() throws Exception {
        open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        ServerSocket socket = server.takeSocket();
        utterance.sendText("Hi.");
        socket.send("{\"audio\":\"AAAA\",\"isFinal\":nul");
        Failed failed = listener.next(Failed.class);
        assertThat(failed.error().getMessage()).startsWith("elevenlabs: ElevenLabs sent a malformed message (");
        assertThat(socket.awaitClientClose()).isEqualTo(1000);
        listener.assertQuiet(100);
    }

    @Test
    void anUtteranceWithoutTextIsDoneAndItsSocketClosed() throws Exception {
        open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        ServerSocket socket = server.takeSocket();
        utterance.finish();
        listener.next(Done.class);
        assertThat(socket.awaitClientClose()).isEqualTo(1000);
    }

    @Test
    void closingTheSessionClosesOpenSocketsWithoutCallbacks() throws Exception {
        open(AudioFormat.PCM16_16K);
        TtsUtterance utterance = session.startUtterance(listener);
        ServerSocket socket = server.takeSocket();
        utterance.sendText("Goodbye.");
        session.close();
        session.close();
        assertThat(socket.awaitClientClose()).isEqualTo(1000);
        listener.assertQuiet(200);
    }


    /** Opens the call's session; the server accepts the first utterance's socket. */
    private void open(AudioFormat format) {
        server.acceptSocket();
        session = service.openSession(format, "call-1");
    }

    /** An audio frame; each character of {@code text} takes 50 ms, starting at the chunk's start. */
    static JsonNode audio(byte[] bytes, String text) {
        ObjectNode frame = json().createObjectNode().put("audio", Base64.getEncoder().encodeToString(bytes)).putNull("isFinal");
        if (text == null) {
            frame.putNull("normalizedAlignment").putNull("alignment");
            return frame;
        }
        for (String key : new String[] {"normalizedAlignment", "alignment"}) {
            ObjectNode alignment = frame.putObject(key);
            ArrayNode chars = alignment.putArray("chars");
            ArrayNode starts = alignment.putArray("charStartTimesMs");
            ArrayNode durations = alignment.putArray("charDurationsMs");
            for (int i = 0; i < text.length(); i++) {
                chars.add(String.valueOf(text.charAt(i)));
                starts.add(i * 50);
                durations.add(50);
            }
        }
        return frame;
    }
}
