package ai.piopiy.plugin.openai;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.llmhttp.RetryPolicy;
import ai.piopiy.plugin.llmhttp.testing.SseBodies;
import ai.piopiy.plugin.llmhttp.testing.TestingProviderContext;
import ai.piopiy.plugin.openai.internal.WhisperSttStream;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whisper provider against a local server speaking OpenAI's transcription API. */
class WhisperSttServiceTest {

    private static final String KEY = "sk-test-whisper-0123456789SECRET";
    private static final RetryPolicy FAST_RETRY =
            new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2));
    private static final AudioFormat RATE_8K = AudioFormat.PCM16_8K;

    private MockWebServer server;
    private TestingProviderContext context;
    private WhisperSttService service;
    private final Listener listener = new Listener();

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        context = new TestingProviderContext();
        OpenAiEndpoint endpoint = new OpenAiEndpoint(server.url("/v1/").toString(), Optional.of(Secret.of(KEY)));
        service = new WhisperSttService(WhisperSttConfig.defaults(endpoint).withLanguage("en").withRetry(FAST_RETRY), context);
    }

    @AfterEach
    void stop() {
        service.close();
        server.close();
        context.close();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    /** {@code millis} of audio whose every sample is {@code value}, so the segment's pieces can be told apart. */
    private static byte[] tone(int millis, short value) {
        ByteBuffer out = ByteBuffer.allocate(RATE_8K.bytesPer(millis)).order(ByteOrder.LITTLE_ENDIAN);
        while (out.hasRemaining()) {
            out.putShort(value);
        }
        return out.array();
    }

    private WhisperSttStream speak(int silenceMs, int speechMs) {
        WhisperSttStream stream = (WhisperSttStream) service.openStream(new SttStreamSpec(RATE_8K, "call-1"), listener);
        segment(stream, silenceMs, speechMs);
        return stream;
    }

    private static void segment(WhisperSttStream stream, int silenceMs, int speechMs) {
        for (int i = 0; i < silenceMs / 20; i++) {
            byte[] frame = tone(20, (short) (i < silenceMs / 20 - 15 ? 1 : 2)); // the last 300 ms are 2s
            stream.sendAudio(frame, 0, frame.length);
        }
        stream.userStartedSpeaking();
        for (int i = 0; i < speechMs / 20; i++) {
            byte[] frame = tone(20, (short) 1000);
            stream.sendAudio(frame, 0, frame.length);
        }
        stream.userStoppedSpeaking();
    }

    /** The form's parts by name: the value of a text part, or the file part's headers and bytes. */
    private static Map<String, Part> parts(RecordedRequest request) throws Exception {
        MediaType type = MediaType.get(request.getHeaders().get("Content-Type"));
        assertThat(type.type() + "/" + type.subtype()).isEqualTo("multipart/form-data");
        Map<String, Part> parts = new HashMap<>();
        try (MultipartReader reader = new MultipartReader(new Buffer().write(request.getBody()), type.parameter("boundary"))) {
            MultipartReader.Part part;
            while ((part = reader.nextPart()) != null) {
                String disposition = part.headers().get("Content-Disposition");
                String name = disposition.replaceAll("^form-data; name=\"([^\"]+)\".*", "$1");
                parts.put(name, new Part(disposition, part.headers().get("Content-Type"), part.body().readByteArray()));
            }
        }
        return parts;
    }

    private record Part(String disposition, String contentType, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @Test
    void uploadsEachSegmentAsAWavWithItsPreRollAndReportsOneFinalTranscript() throws Exception {
        server.enqueue(json(200, "{\"text\":\" Hi, I'd like to book a table.\",\"usage\":{\"type\":\"duration\",\"seconds\":3}}"));

        speak(1000, 1200).idle().get(5, TimeUnit.SECONDS);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/audio/transcriptions");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        Map<String, Part> parts = parts(request);
        assertThat(parts).containsOnlyKeys("file", "model", "language", "response_format");
        assertThat(parts.get("model").text()).isEqualTo("whisper-1");
        assertThat(parts.get("language").text()).isEqualTo("en");
        assertThat(parts.get("response_format").text()).isEqualTo("json");

        Part file = parts.get("file");
        assertThat(file.disposition()).contains("filename=\"audio.wav\"");
        assertThat(file.contentType()).isEqualTo("audio/wav");
        ByteBuffer wav = ByteBuffer.wrap(file.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        int pcmBytes = RATE_8K.bytesPer(300 + 1200);
        assertThat(new String(file.bytes(), 0, 4)).isEqualTo("RIFF");
        assertThat(wav.getInt(4)).isEqualTo(36 + pcmBytes);
        assertThat(new String(file.bytes(), 8, 8)).isEqualTo("WAVEfmt ");
        assertThat(wav.getInt(16)).isEqualTo(16);
        assertThat(wav.getShort(20)).as("PCM").isEqualTo((short) 1);
        assertThat(wav.getShort(22)).as("mono").isEqualTo((short) 1);
        assertThat(wav.getInt(24)).isEqualTo(8000);
        assertThat(wav.getInt(28)).isEqualTo(16000);
        assertThat(wav.getShort(32)).isEqualTo((short) 2);
        assertThat(wav.getShort(34)).isEqualTo((short) 16);
        assertThat(new String(file.bytes(), 36, 4)).isEqualTo("data");
        assertThat(wav.getInt(40)).isEqualTo(pcmBytes);
        assertThat(file.bytes()).hasSize(44 + pcmBytes);
        byte[] pcm = Arrays.copyOfRange(file.bytes(), 44, file.bytes().length);
        assertThat(Arrays.copyOfRange(pcm, 0, RATE_8K.bytesPer(300))).as("the 300 ms before speech").isEqualTo(tone(300, (short) 2));
        assertThat(Arrays.copyOfRange(pcm, RATE_8K.bytesPer(300), pcm.length)).isEqualTo(tone(1200, (short) 1000));

        assertThat(listener.transcripts).singleElement().satisfies(t -> {
            assertThat(t.text()).isEqualTo("Hi, I'd like to book a table.");
            assertThat(t.isFinal()).isTrue();
            assertThat(t.language()).isEqualTo("en");
        });
        assertThat(listener.errors).isEmpty();
        assertThat(context.recordedMetrics()).hasAtLeastOneElementOfType(Metric.TimeToFirstByte.class);
    }

    @Test
    void aShortSilenceGivesAShorterPreRollAndSegmentsArriveInOrder() throws Exception {
        server.enqueue(json(200, "{\"text\":\"first\"}"));
        server.enqueue(json(200, "{\"text\":\"second\"}"));
        WhisperSttStream stream = (WhisperSttStream) service.openStream(new SttStreamSpec(RATE_8K, "call-1"), listener);
        byte[] odd = tone(10, (short) 7);
        stream.sendAudio(odd, 0, odd.length);
        stream.userStartedSpeaking();
        stream.userStoppedSpeaking();
        segment(stream, 2000, 400);
        stream.idle().get(5, TimeUnit.SECONDS);

        assertThat(parts(server.takeRequest()).get("file").bytes()).hasSize(44 + RATE_8K.bytesPer(10));
        assertThat(parts(server.takeRequest()).get("file").bytes()).hasSize(44 + RATE_8K.bytesPer(700));
        assertThat(listener.transcripts).extracting(Transcript::text).containsExactly("first", "second");
    }

    @Test
    void aFrameLongerThanThePreRollKeepsItsEnd() throws Exception {
        server.enqueue(json(200, "{\"text\":\"ok\"}"));
        WhisperSttStream stream = (WhisperSttStream) service.openStream(new SttStreamSpec(RATE_8K, "call-1"), listener);
        byte[] second = new byte[RATE_8K.bytesPer(1000)];
        for (int i = 0; i < second.length; i++) {
            second[i] = (byte) i;
        }
        stream.sendAudio(second, 0, second.length);
        stream.userStartedSpeaking();
        stream.userStoppedSpeaking();
        stream.idle().get(5, TimeUnit.SECONDS);

        byte[] file = parts(server.takeRequest()).get("file").bytes();
        assertThat(Arrays.copyOfRange(file, 44, file.length))
                .isEqualTo(Arrays.copyOfRange(second, second.length - RATE_8K.bytesPer(300), second.length));
    }

    @Test
    void retriesA429AndA500ThenTranscribes() throws Exception {
        server.enqueue(json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"));
        server.enqueue(json(500, "{\"error\":{\"message\":\"upstream rejected key " + KEY + "\",\"type\":\"server_error\"}}"));
        server.enqueue(json(200, "{\"text\":\"Hello.\"}"));

        PrintStream stderr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
            speak(400, 400).idle().get(5, TimeUnit.SECONDS);
        } finally {
            System.setErr(stderr);
        }

        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("HTTP 500", "upstream rejected key ****").doesNotContain(KEY);
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(listener.transcripts).extracting(Transcript::text).containsExactly("Hello.");
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void givesUpAfterTheRetriesWithTheProvidersMessage() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(json(503, "{\"error\":{\"message\":\"Service unavailable\",\"type\":\"server_error\"}}"));
        }

        speak(400, 400).idle().get(5, TimeUnit.SECONDS);

        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(listener.errors).singleElement().satisfies(e -> {
            assertThat(e.getMessage()).contains("HTTP 503", "Service unavailable", "gave up after 3 attempts");
            assertThat(e.fatal()).isFalse();
        });
    }

    @Test
    void rejectedKeyIsFatalNotRetriedAndNeverShown() throws Exception {
        server.enqueue(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
                + ". You can find your API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"));

        speak(400, 400).idle().get(5, TimeUnit.SECONDS);

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(listener.errors).singleElement().satisfies(e -> {
            assertThat(e.fatal()).isTrue();
            assertThat(e.getMessage()).contains("HTTP 401", "Incorrect API key", "invalid_api_key").doesNotContain(KEY);
            assertThat(e.toString()).doesNotContain(KEY);
        });
    }

    @Test
    void malformedResponsesAreClearErrorsAndTheNextSegmentStillWorks() throws Exception {
        server.enqueue(json(200, "{\"text\": \"unterminated"));
        server.enqueue(json(200, "{\"error\":\"no 'file' field in the request\"}"));
        server.enqueue(json(200, "{\"text\":\"fine\"}"));
        WhisperSttStream stream = (WhisperSttStream) service.openStream(new SttStreamSpec(RATE_8K, "call-1"), listener);
        segment(stream, 400, 200);
        segment(stream, 400, 200);
        segment(stream, 400, 200);
        stream.idle().get(5, TimeUnit.SECONDS);

        assertThat(listener.errors).hasSize(2);
        assertThat(listener.errors.get(0).getMessage()).contains("malformed transcription response", "unterminated");
        assertThat(listener.errors.get(1).getMessage()).contains("no 'file' field in the request");
        assertThat(listener.errors).noneMatch(ServiceException::fatal);
        assertThat(listener.transcripts).extracting(Transcript::text).containsExactly("fine");
    }

    @Test
    void aDroppedConnectionIsRetriedThenReported() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(SseBodies.droppedHalfway("{\"text\":\"never complete\"}"));
        }

        speak(400, 400).idle().get(5, TimeUnit.SECONDS);

        assertThat(listener.errors).singleElement().satisfies(e ->
                assertThat(e.getMessage()).contains("failed", "gave up after 3 attempts").doesNotContain(KEY));
        assertThat(listener.transcripts).isEmpty();
    }

    @Test
    void aLocalServerNeedsNoKeyAndSilenceIsNotReported() throws Exception {
        server.enqueue(json(200, "{\"text\":\"\"}"));
        try (WhisperSttService local = new WhisperSttService(WhisperSttConfig.defaults(
                OpenAiEndpoint.keyless(server.url("/v1").toString())).withModel("Systran/faster-distil-whisper-large-v3"), context)) {
            WhisperSttStream stream = (WhisperSttStream) local.openStream(new SttStreamSpec(AudioFormat.PCM16_16K, "call-2"), listener);
            stream.userStartedSpeaking();
            byte[] frame = new byte[640];
            stream.sendAudio(frame, 0, frame.length);
            stream.userStoppedSpeaking();
            stream.idle().get(5, TimeUnit.SECONDS);
        }
        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("Authorization")).isNull();
        Map<String, Part> parts = parts(request);
        assertThat(parts).doesNotContainKey("language");
        assertThat(parts.get("model").text()).isEqualTo("Systran/faster-distil-whisper-large-v3");
        assertThat(ByteBuffer.wrap(parts.get("file").bytes()).order(ByteOrder.LITTLE_ENDIAN).getInt(24)).isEqualTo(16000);
        assertThat(listener.transcripts).isEmpty();
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void speechStillBeingCollectedAtCloseIsDropped() throws Exception {
        WhisperSttStream stream = (WhisperSttStream) service.openStream(new SttStreamSpec(RATE_8K, "call-1"), listener);
        stream.userStartedSpeaking();
        byte[] frame = tone(20, (short) 5);
        stream.sendAudio(frame, 0, frame.length);
        stream.close();
        stream.userStoppedSpeaking();
        stream.idle().get(5, TimeUnit.SECONDS);
        assertThat(server.getRequestCount()).isZero();
    }

    private static final class Listener implements SttListener {
        final List<Transcript> transcripts = new CopyOnWriteArrayList<>();
        final List<ServiceException> errors = new CopyOnWriteArrayList<>();

        @Override
        public void onTranscript(Transcript transcript) {
            transcripts.add(transcript);
        }

        @Override
        public void onError(ServiceException error) {
            errors.add(error);
        }
    }
}
