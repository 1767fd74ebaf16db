package ai.piopiy.plugin.google;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.testing.RecordingProviderContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client (for voices other than Chirp 3 HD) against a local text:synthesize server and token endpoint. */
class GoogleTtsServiceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String API_KEY = "AIzaSy-test-api-key-0c4d";

    private FakeTokenEndpoint tokens;
    private MockWebServer server;
    private RecordingProviderContext context;
    private GoogleTtsService service;
    private final TtsEvents events = new TtsEvents();

    @BeforeEach
    void start() throws Exception {
        tokens = new FakeTokenEndpoint();
        server = new MockWebServer();
        server.start();
        context = new RecordingProviderContext("google-tts");
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        server.close();
        tokens.close();
        context.logger().assertNeverLogged(FakeTokenEndpoint.TOKEN, FakeTokenEndpoint.privateKeyFragment(), API_KEY);
        assertThat(events.recorder.overlapped()).isFalse();
        context.close();
    }

    private TtsUtterance utterance(GoogleCredentials credentials, int rate) {
        GoogleTtsConfig config = GoogleTtsConfig.defaults(credentials).withStreaming(false)
                .withEndpoint(server.url("/").toString().replaceAll("/$", ""));
        service = new GoogleTtsService(config, context);
        TtsSession session = service.openSession(AudioFormat.pcm16(rate), "call-3");
        return session.startUtterance(events);
    }

    private GoogleCredentials serviceAccount() {
        return GoogleCredentials.serviceAccount(Secret.of(tokens.keyJson(), "test"));
    }

    /** A LINEAR16 WAV as text:synthesize returns it, with an extra LIST chunk before the data to be skipped. */
    static byte[] wav(int rate, byte[] pcm) {
        byte[] list = "LIST\u0004\u0000\u0000\u0000INFO".getBytes(US_ASCII);
        ByteBuffer header = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(US_ASCII)).putInt(28 + list.length + pcm.length).put("WAVE".getBytes(US_ASCII))
                .put("fmt ".getBytes(US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate)
                .putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(list);
        out.writeBytes("data".getBytes(US_ASCII));
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(pcm.length).array());
        out.writeBytes(pcm);
        return out.toByteArray();
    }

    static MockResponse audio(byte[] wav) {
        return json(200, "{\"audioContent\":\"" + Base64.getEncoder().encodeToString(wav) + "\"}");
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json; charset=UTF-8").body(body).build();
    }

    private static byte[] pcm(int bytes, int seed) {
        byte[] pcm = new byte[bytes];
        Arrays.fill(pcm, (byte) seed);
        return pcm;
    }

    private static JsonNode body(RecordedRequest request) throws IOException {
        return MAPPER.readTree(request.getBody().utf8());
    }

    @Test
    void speaksEachSentenceAsOneRequestAndDropsTheWavHeader() throws Exception {
        server.enqueue(audio(wav(8_000, pcm(320, 1))));
        server.enqueue(audio(wav(8_000, pcm(480, 2))));
        TtsUtterance utterance = utterance(serviceAccount(), 8_000);

        utterance.sendText("Your table is booked.");
        utterance.sendText("See you at eight.");
        utterance.finish();
        List<Object> heard = events.untilEnd();

        assertThat(heard).last().isEqualTo(TtsEvents.DONE);
        assertThat(TtsEvents.audioOf(heard)).isEqualTo(concat(pcm(320, 1), pcm(480, 2)));
        RecordedRequest first = server.takeRequest();
        assertThat(first.getMethod()).isEqualTo("POST");
        assertThat(first.getUrl().encodedPath()).isEqualTo("/v1/text:synthesize");
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + FakeTokenEndpoint.TOKEN);
        assertThat(first.getHeaders().get("x-goog-api-key")).isNull();
        JsonNode sent = body(first);
        assertThat(sent.at("/input/text").asText()).isEqualTo("Your table is booked.");
        assertThat(sent.at("/voice/name").asText()).isEqualTo("en-US-Chirp3-HD-Charon");
        assertThat(sent.at("/voice/languageCode").asText()).isEqualTo("en-US");
        assertThat(sent.at("/audioConfig/audioEncoding").asText()).isEqualTo("LINEAR16");
        assertThat(sent.at("/audioConfig/sampleRateHertz").asInt()).isEqualTo(8_000);
        assertThat(sent.at("/audioConfig/speakingRate").asDouble()).isEqualTo(1.0);
        assertThat(sent.at("/audioConfig").has("pitch")).isFalse();
        assertThat(body(server.takeRequest()).at("/input/text").asText()).isEqualTo("See you at eight.");
        assertThat(tokens.exchanges()).isEqualTo(1);
        assertThat(context.recordedMetrics()).filteredOn(Metric.TimeToFirstByte.class::isInstance).hasSize(1);
        assertThat(context.recordedMetrics()).filteredOn(Metric.TtsCharacters.class::isInstance)
                .extracting(m -> ((Metric.TtsCharacters) m).characters()).containsExactly(21, 17);
    }

    @Test
    void anApiKeyGoesInTheGoogApiKeyHeader() throws Exception {
        server.enqueue(audio(wav(16_000, pcm(640, 3))));
        TtsUtterance utterance = utterance(GoogleCredentials.apiKey(Secret.of(API_KEY)), 16_000);

        utterance.sendText("Hello.");
        utterance.finish();
        assertThat(events.untilEnd()).last().isEqualTo(TtsEvents.DONE);

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("x-goog-api-key")).isEqualTo(API_KEY);
        assertThat(request.getHeaders().get("Authorization")).isNull();
        assertThat(request.getUrl().toString()).doesNotContain(API_KEY);
        assertThat(tokens.exchanges()).isZero();
    }

    @Test
    void audioAtAnotherRateIsResampledToTheSessionsRate() throws Exception {
        server.enqueue(audio(wav(24_000, pcm(4_800, 0))));
        TtsUtterance utterance = utterance(serviceAccount(), 8_000);

        utterance.sendText("Hello.");
        utterance.finish();

        // 100 ms at 24 kHz is 100 ms at 8 kHz: a third of the bytes, give or take the filter's edge
        assertThat(TtsEvents.audioOf(events.untilEnd()).length).isBetween(1_500, 1_700);
    }

    @Test
    void cancellingClosesTheConnectionInFlightAndReportsNothingMore() throws Exception {
        SlowBody slow = new SlowBody();
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(slow).build());
        TtsUtterance utterance = utterance(serviceAccount(), 8_000);

        utterance.sendText("A long answer that is interrupted.");
        utterance.sendText("Never spoken.");
        utterance.finish();
        assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
        utterance.cancel();

        assertThat(slow.clientClosed.await(5, TimeUnit.SECONDS)).as("the server sees the connection closed").isTrue();
        events.recorder.assertNothingAfter(0, 200);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void googlesErrorEnvelopeBecomesAClearErrorAndEndsTheUtterance() throws Exception {
        server.enqueue(json(400, "{\"error\":{\"code\":400,\"message\":\"Voice 'en-US-Nope' does not exist.\",\"status\":\"INVALID_ARGUMENT\"}}"));
        TtsUtterance utterance = utterance(serviceAccount(), 8_000);

        utterance.sendText("Hello.");
        utterance.sendText("Not spoken after the failure.");
        utterance.finish();

        ServiceException error = (ServiceException) events.untilEnd().getLast();
        assertThat(error.fatal()).isFalse();
        assertThat(error.getMessage()).isEqualTo("google-tts: HTTP 400 from " + server.url("/v1/text:synthesize")
                + ": INVALID_ARGUMENT: Voice 'en-US-Nope' does not exist.");
        events.recorder.assertNothingAfter(1, 100);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRefusedCredentialIsFatal() throws Exception {
        server.enqueue(json(403, "{\"error\":{\"code\":403,\"message\":\"Cloud Text-to-Speech API has not been used in project 42.\",\"status\":\"PERMISSION_DENIED\"}}"));
        TtsUtterance utterance = utterance(GoogleCredentials.apiKey(Secret.of(API_KEY)), 8_000);

        utterance.sendText("Hello.");
        ServiceException error = (ServiceException) events.untilEnd().getLast();

        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("PERMISSION_DENIED", "has not been used").doesNotContain(API_KEY);
    }

    @Test
    void aDroppedConnectionIsAnError() throws Exception {
        server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        TtsUtterance utterance = utterance(serviceAccount(), 8_000);

        utterance.sendText("Hello.");
        ServiceException error = (ServiceException) events.untilEnd().getLast();

        assertThat(error.fatal()).isFalse();
        assertThat(error.getMessage()).contains("/v1/text:synthesize failed");
    }

    @Test
    void aBodyWithoutAudioIsAClearError() throws Exception {
        server.enqueue(json(200, "{\"audioConfig\":{}}"));
        server.enqueue(json(200, "<html>proxy error</html>"));
        TtsUtterance utterance = utterance(serviceAccount(), 8_000);
        utterance.sendText("Hello.");
        assertThat(((ServiceException) events.untilEnd().getLast()).getMessage()).contains("without audioContent");
    }

    @Test
    void aRefusedServiceAccountKeyIsFatalAndShowsNoSecret() throws Exception {
        tokens.failWith(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
        TtsUtterance utterance = utterance(serviceAccount(), 8_000);

        utterance.sendText("Hello.");
        ServiceException error = (ServiceException) events.untilEnd().getLast();

        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("invalid_grant", FakeTokenEndpoint.CLIENT_EMAIL)
                .doesNotContain(FakeTokenEndpoint.privateKeyFragment());
        assertThat(server.getRequestCount()).isZero();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A JSON body that starts at once and never ends, noticing when the client closes the connection. */
    private static final class SlowBody implements MockResponseBody {
        final CountDownLatch clientClosed = new CountDownLatch(1);

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try {
                sink.writeUtf8("{\"audioContent\":\"").flush();
                for (int i = 0; i < 500; i++) {
                    sink.writeUtf8("AAAA".repeat(256)).flush();
                    Thread.sleep(20);
                }
            } catch (IOException e) {
                clientClosed.countDown();
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
